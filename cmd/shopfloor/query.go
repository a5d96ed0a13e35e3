package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shopfloor-dev/shopfloor/client"
	"golang.org/x/oauth2"
)

// vars is --var k=v, repeated: a value that is JSON is its value, anything
// else a string.
type vars map[string]any

func (v vars) String() string { return fmt.Sprint(map[string]any(v)) }

func (v vars) Set(kv string) error {
	k, val, ok := strings.Cut(kv, "=")
	if !ok || k == "" {
		return fmt.Errorf("--var %q: want name=value", kv)
	}
	var parsed any
	if json.Unmarshal([]byte(val), &parsed) == nil {
		v[k] = parsed
	} else {
		v[k] = val
	}
	return nil
}

// query runs a document against any ION-compatible endpoint through the
// client: data on stdout, errors readably on stderr with the contract's
// cause and fix (or all of it as JSON with --json); exit 1 on errors.
func query(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("url", envOr(getenv, "SHOPFLOOR_URL", "http://127.0.0.1:8080/graphql"), "the GraphQL endpoint")
	tokenURL := fs.String("token-url", getenv("SHOPFLOOR_TOKEN_URL"), "the token endpoint of --client-id (default: the realm's beside --url)")
	clientID := fs.String("client-id", getenv("SHOPFLOOR_CLIENT_ID"), "an API key's client id, exchanged for a token")
	clientSecret := fs.String("client-secret", getenv("SHOPFLOOR_CLIENT_SECRET"), "the API key's secret")
	token := fs.String("token", getenv("SHOPFLOOR_TOKEN"), "an access token to send as it is")
	asJSON := fs.Bool("json", false, "print the whole answer as JSON, each error with its contract row")
	variables := vars{}
	fs.Var(variables, "var", "a variable, name=value (JSON, else a string); repeatable")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopfloor query [--url URL] [--client-id ID --client-secret S | --token T] 'DOCUMENT' [--var k=v]… [--json]")
		fs.PrintDefaults()
	}
	var docs []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		docs, args = append(docs, fs.Arg(0)), fs.Args()[1:]
	}
	if len(docs) != 1 {
		fs.Usage()
		return errors.New("query: give one document (quote it)")
	}
	var opts []client.Option
	switch {
	case *clientID != "" && *token != "":
		return errors.New("query: give --client-id and --client-secret, or --token, not both")
	case *clientID != "":
		if *tokenURL == "" {
			*tokenURL = strings.TrimSuffix(strings.TrimSuffix(*endpoint, "/"), "/graphql") + "/realms/api-keys/protocol/openid-connect/token"
		}
		opts = append(opts, client.WithTokenSource(client.APIKey(*tokenURL, *clientID, *clientSecret)))
	case *token != "":
		opts = append(opts, client.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: *token})))
	}
	var vs any
	if len(variables) > 0 {
		vs = map[string]any(variables)
	}
	var data json.RawMessage
	err := client.New(*endpoint, opts...).Do(ctx, docs[0], vs, &data)
	var failed *client.Error
	if err != nil && !errors.As(err, &failed) {
		return err
	}
	if *asJSON {
		return printJSON(stdout, data, failed)
	}
	if len(data) > 0 && string(data) != "null" {
		out, _ := json.MarshalIndent(data, "", "  ")
		fmt.Fprintln(stdout, string(out))
	}
	if failed == nil {
		return nil
	}
	colours := palette{}
	if isTerminal(stderr) {
		colours = palette{bold: "\x1b[1;31m", dim: "\x1b[2m", reset: "\x1b[0m"}
	}
	fmt.Fprintf(stderr, "HTTP %d\n", failed.HTTPStatus)
	for _, e := range failed.Errors {
		msg := e.Message
		if len(e.Path) > 0 {
			msg += fmt.Sprintf(" (at %v)", e.Path)
		}
		describe(stderr, msg, e.Rows, colours)
	}
	return fmt.Errorf("query: %d error(s)", len(failed.Errors))
}

// printJSON prints {status, data, errors}, each error with its contract
// rows' ids and the first row's fix.
func printJSON(w io.Writer, data json.RawMessage, failed *client.Error) error {
	type contractView struct {
		Rows  []string `json:"rows"`
		Cause string   `json:"cause"`
		Fix   string   `json:"fix"`
	}
	type errorView struct {
		client.GraphQLError
		Contract contractView `json:"contract"`
	}
	out := struct {
		Status int             `json:"status"`
		Data   json.RawMessage `json:"data,omitempty"`
		Errors []errorView     `json:"errors,omitempty"`
	}{Status: 200, Data: data}
	if failed != nil {
		out.Status = failed.HTTPStatus
		for _, e := range failed.Errors {
			view := errorView{GraphQLError: e, Contract: contractView{Cause: e.Cause(), Fix: e.Fix()}}
			for _, r := range e.Rows {
				view.Contract.Rows = append(view.Contract.Rows, r.ID)
			}
			out.Errors = append(out.Errors, view)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	if failed != nil {
		return fmt.Errorf("query: %d error(s)", len(failed.Errors))
	}
	return nil
}

// isTerminal reports whether w is a terminal (colour is for people only).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
