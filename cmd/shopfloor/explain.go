package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/shopfloor-dev/shopfloor/contract"
)

// explain prints, offline, what the error contract says of an error message
// or payload: its status class, cause and fix, or the troubleshooting flow.
func explain(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	status := fs.Int("status", 0, "the HTTP status of the answer, when known")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: shopfloor explain [--status N] "<message or JSON payload>"`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("explain: give one message or JSON payload (quote it)")
	}
	for i, e := range contract.Errors(*status, fs.Arg(0)) {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		describe(stdout, e.Message, e.Rows(), palette{})
	}
	return nil
}

// palette colours what describe prints (none when its fields are empty).
type palette struct{ bold, dim, reset string }

// describe prints an error's message and what the contract says of it: the
// status class, cause, fix and retry advice of its first row, the class's
// row after it, and the troubleshooting flow for an unknown message.
func describe(w io.Writer, message string, rows []contract.Row, p palette) {
	fmt.Fprintf(w, "%s%s%s\n", p.bold, message, p.reset)
	for i, r := range rows {
		switch {
		case r.ID == contract.Troubleshooting.ID:
			fmt.Fprintf(w, "  %sunknown message: the contract's troubleshooting flow%s\n", p.dim, p.reset)
		case i == 0:
			fmt.Fprintf(w, "  status  %s\n", classLabel(r.Status))
			fmt.Fprintf(w, "  cause   %s %s(%s)%s\n", r.Cause, p.dim, tableLabel(r), p.reset)
			if r.Happened != "" {
				fmt.Fprintf(w, "  what    %s\n", r.Happened)
			}
			fmt.Fprintf(w, "  fix     %s\n", r.Fix)
			fmt.Fprintf(w, "  retry   %s\n", r.Retry)
		default:
			fmt.Fprintf(w, "  also    %s %s: %s %s(%s)%s\n", classLabel(r.Status), r.Cause, r.Fix, p.dim, tableLabel(r), p.reset)
		}
		for n, step := range r.Steps {
			fmt.Fprintf(w, "  %d. %s\n", n+1, step)
		}
	}
}

func classLabel(class int) string {
	if class == 500 {
		return "5xx Server error"
	}
	return fmt.Sprintf("%d %s", class, http.StatusText(class))
}

func tableLabel(r contract.Row) string {
	switch r.Table {
	case contract.TableStatus:
		return "status reference"
	case contract.TableShopfloor:
		return "Shopfloor"
	}
	return strings.TrimSpace(r.Table + " table")
}
