package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The presenter maps each kind of error to its wire shape, and hides every
// internal one, panics included.
func TestPresentError(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	present := presentError(logger)
	panicErr := recoverPanic(logger)(context.Background(), "index out of range in sqlstore")
	for _, tc := range []struct {
		name    string
		err     error
		message string
		code    string
		status  int
	}{
		{"domain", fmt.Errorf("wrapped: %w", shopfloor.NotFound("Part", 7)), "Part with id 7 not found.", "NOT_FOUND", 404},
		{"conflict", shopfloor.ErrEtagMismatch, shopfloor.MsgEtagMismatch, "CONFLICT", 409},
		{"graphql validation", gqlerror.Errorf("Cannot query field \"x\" on type \"Query\"."), "Cannot query field \"x\" on type \"Query\".", "GRAPHQL_VALIDATION_FAILED", 400},
		{"internal", errors.New("sqlstore: no such table: parts_broken"), "Internal server error.", "INTERNAL_SERVER_ERROR", 500},
		{"panic", panicErr, "Internal server error.", "INTERNAL_SERVER_ERROR", 500},
	} {
		got := present(context.Background(), tc.err)
		if got.Message != tc.message || got.Extensions["code"] != tc.code || got.Extensions["status"] != tc.status {
			t.Errorf("%s: got %q %v", tc.name, got.Message, got.Extensions)
		}
	}
	if !strings.Contains(logs.String(), "parts_broken") || !strings.Contains(logs.String(), "stack") {
		t.Errorf("internal errors are not logged: %s", logs.String())
	}
}
