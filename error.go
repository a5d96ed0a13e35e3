// Package shopfloor holds Shopfloor's domain: entity types, the service
// interfaces the stores implement, the caller's principal, and the one error
// type that every layer returns and that the transport maps to the wire.
package shopfloor

import (
	"errors"
	"fmt"
	"net/http"
)

// Code classifies an Error. Each code belongs to one status class of ION's
// error contract (../shared/spec/error-codes.md).
type Code string

// The error codes, as they appear in a GraphQL error's extensions.code.
const (
	CodeBadRequest      Code = "BAD_REQUEST"
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeConflict        Code = "CONFLICT"
	CodeInvalid         Code = "VALIDATION_ERROR"
	CodeRateLimited     Code = "RATE_LIMITED"
	CodeInternal        Code = "INTERNAL_SERVER_ERROR"
	CodeBadGateway      Code = "BAD_GATEWAY"
	CodeUnavailable     Code = "SERVICE_UNAVAILABLE"
	CodeTimeout         Code = "GATEWAY_TIMEOUT"
)

var codeStatus = map[Code]int{
	CodeBadRequest:      http.StatusBadRequest,
	CodeUnauthenticated: http.StatusUnauthorized,
	CodeForbidden:       http.StatusForbidden,
	CodeNotFound:        http.StatusNotFound,
	CodeConflict:        http.StatusConflict,
	CodeInvalid:         http.StatusUnprocessableEntity,
	CodeRateLimited:     http.StatusTooManyRequests,
	CodeInternal:        http.StatusInternalServerError,
	CodeBadGateway:      http.StatusBadGateway,
	CodeUnavailable:     http.StatusServiceUnavailable,
	CodeTimeout:         http.StatusGatewayTimeout,
}

// Status is the HTTP status class of the contract for c.
func (c Code) Status() int {
	if s, ok := codeStatus[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Messages of the contract that more than one layer produces.
const (
	MsgInternal     = "Internal server error."
	MsgEtagMismatch = "Concurrent modification detected — etag mismatch."
)

// Error is an error a client may see: its Message is shown verbatim.
// Any other error is internal and is shown only as MsgInternal.
type Error struct {
	Code    Code
	Message string
	// Err is the cause, for logs only; it is never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// MsgUnavailable is the message of a 503: the database does not answer.
const MsgUnavailable = "The service is temporarily unavailable; retry with backoff."

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-visible message of err: the message of the
// first *Error in its chain, or MsgInternal for anything else, so that
// internal details (SQL, stack, other tenants' data) never reach a client.
func ErrorMessage(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return MsgInternal
}

// NotFound is the error for an entity that does not exist, is soft-deleted, or
// belongs to another organization: the three are indistinguishable.
func NotFound(entity string, id int64) *Error {
	return Errorf(CodeNotFound, "%s with id %d not found.", entity, id)
}

// ErrEtagMismatch is returned when an update or delete carries a stale etag.
var ErrEtagMismatch = &Error{Code: CodeConflict, Message: MsgEtagMismatch}
