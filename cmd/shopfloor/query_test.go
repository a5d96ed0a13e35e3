package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// query runs a document through the client: data on stdout, each error with
// the contract's cause and fix on stderr, or everything as JSON.
func TestQueryCommand(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	key := s.apiKey(t, 0, shopfloor.RoleAdmin)
	env := func(k string) string { return map[string]string{"SHOPFLOOR_URL": s.URL + "/graphql"}[k] }
	runQuery := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"query"}, args...), env, &out, &errOut)
		return out.String(), errOut.String(), err
	}
	partial := `query($id: ID!) { me { email } part(id: $id) { id } }`

	out, errOut, err := runQuery("--client-id", key.ClientID, "--client-secret", key.ClientSecret, partial, "--var", "id=999999")
	if err == nil || err.Error() != "query: 1 error(s)" || !strings.Contains(out, `"email": "service-account-`) ||
		!strings.Contains(errOut, "HTTP 200\nPart with id 999999 not found. (at [part])\n  status  404 Not Found\n  cause   Resource not found (status reference)\n") {
		t.Fatalf("partial data: %v\nstdout %s\nstderr %s", err, out, errOut)
	}

	out, _, err = runQuery("--token", s.token(t, 0, shopfloor.RoleReadOnly), "--json", `mutation { createLocation(input: {name: "CLI"}) { location { id } } }`)
	var answer struct {
		Status int
		Errors []struct {
			Message  string
			Path     []string
			Contract struct {
				Rows       []string
				Cause, Fix string
			}
		}
	}
	if err == nil || json.Unmarshal([]byte(out), &answer) != nil || answer.Status != 200 || len(answer.Errors) != 1 ||
		answer.Errors[0].Message != "User does not have permission to perform CREATE on Location." ||
		strings.Join(answer.Errors[0].Contract.Rows, ",") != "403-permission,status-403" || answer.Errors[0].Contract.Cause != "Missing role permission" {
		t.Fatalf("--json: %v %s", err, out)
	}

	out, errOut, err = runQuery(`{ me { email } }`, "--token", "abc")
	if err == nil || !strings.Contains(errOut, "HTTP 401\nUnable to parse authentication token\n") || !strings.Contains(errOut, "fix     Verify the full token is being sent.") {
		t.Fatalf("401: %v %s %s", err, out, errOut)
	}
	out, _, err = runQuery("--client-id", key.ClientID, "--client-secret", key.ClientSecret, `query($n: String) { parts(first: 1, filters: {partNumber: {eq: $n}}) { pageInfo { totalCount } } }`, "--var", "n=nothing-like-it")
	if err != nil || !strings.Contains(out, `"totalCount": 0`) {
		t.Fatalf("success: %v %s", err, out)
	}
}
