package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor/contract"
)

// Location is a position in the query string.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// GraphQLError is one entry of an answer's errors[], with the rows of the
// error contract it matches (contract.Classify): Rows[0].Fix is the advice.
type GraphQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Locations  []Location     `json:"locations,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
	Rows       []contract.Row `json:"-"`
}

// Status is the error's status class (401, 403, … 500 for every 5xx; 0 when
// neither the error nor its answer says).
func (e GraphQLError) Status() int {
	if len(e.Rows) > 0 && e.Rows[0].Status != 0 {
		return e.Rows[0].Status
	}
	return 0
}

// Fix is what the contract says to do about the error.
func (e GraphQLError) Fix() string { return e.Rows[0].Fix }

// Cause is the contract's cause of the error (the 401 row, the 403 cause…).
func (e GraphQLError) Cause() string { return e.Rows[0].Cause }

// Error is a failed request: its HTTP status and every entry of errors[],
// each classified by the error contract. A response with data and errors
// (partial data) has its data decoded and returns an *Error beside it.
type Error struct {
	HTTPStatus int
	Errors     []GraphQLError
	RetryAfter time.Duration // the answer's Retry-After, if any
	Attempts   int           // how many times the request was sent
	Header     http.Header   // the answer's headers
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	for i, g := range e.Errors {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-i)
			break
		}
		fmt.Fprintf(&b, "; %s", g.Message)
		if len(g.Path) > 0 {
			fmt.Fprintf(&b, " (at %v)", g.Path)
		}
		if s := g.Status(); s != 0 {
			fmt.Fprintf(&b, " [%d %s: %s]", s, g.Cause(), g.Fix())
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Status is the status class of the request's failure: the HTTP status's
// class outside GraphQL, else the class of its first error.
func (e *Error) Status() int {
	if c := contract.Class(e.HTTPStatus); c != 200 && c != 0 {
		return c
	}
	for _, g := range e.Errors {
		if s := g.Status(); s != 0 {
			return s
		}
	}
	return 0
}

// Fix is the contract's advice for the first error.
func (e *Error) Fix() string {
	if len(e.Errors) == 0 {
		return contract.Troubleshooting.Fix
	}
	return e.Errors[0].Fix()
}

// Is reports whether any of the errors has the status class of target, so
// errors.Is(err, client.ErrConflict) finds an etag conflict.
func (e *Error) Is(target error) bool {
	t, ok := target.(statusClass)
	if !ok {
		return false
	}
	if contract.Class(e.HTTPStatus) == int(t) {
		return true
	}
	for _, g := range e.Errors {
		if g.Status() == int(t) {
			return true
		}
	}
	return false
}

type statusClass int

func (s statusClass) Error() string { return fmt.Sprintf("status class %d", int(s)) }

// Sentinels for errors.Is: an *Error matches the class of its HTTP status or
// of any of its errors.
var (
	ErrBadRequest      error = statusClass(400)
	ErrUnauthenticated error = statusClass(401)
	ErrForbidden       error = statusClass(403)
	ErrNotFound        error = statusClass(404)
	ErrConflict        error = statusClass(409)
	ErrInvalid         error = statusClass(422)
	ErrRateLimited     error = statusClass(429)
	ErrServer          error = statusClass(500)
)

// isEtagConflict reports whether err is the contract's 409: the etag of an
// update was stale.
func isEtagConflict(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, g := range e.Errors {
		if len(g.Rows) > 0 && g.Rows[0].Retry == contract.RetryReread {
			return true
		}
	}
	return false
}
