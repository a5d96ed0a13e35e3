package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Extension codes of errors that come from GraphQL itself, not the domain.
const (
	codeParseFailed      = "GRAPHQL_PARSE_FAILED"
	codeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
)

// presentError is the one place where an error becomes its wire shape:
// {message, path, locations, extensions: {code, status}}. Domain errors keep
// their message and status class; GraphQL's own parse and validation errors
// are the 400 class; anything else is internal, logged with the request id
// and shown only as a generic message, so no SQL, stack or other tenant's
// data reaches a client.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		out := &gqlerror.Error{Path: gqlErr.Path, Locations: gqlErr.Locations}
		code, status := "", 0
		switch domainErr, isDomain := errors.AsType[*shopfloor.Error](err); {
		case isDomain:
			out.Message = domainErr.Message
			code, status = string(domainErr.Code), domainErr.Code.Status()
		case gqlErr.Err == nil: // raised by the GraphQL layer itself
			out.Message = gqlErr.Message
			code, _ = gqlErr.Extensions["code"].(string)
			if code != codeParseFailed {
				code = codeValidationFailed
			}
			status = shopfloor.CodeBadRequest.Status()
		default:
			logger.ErrorContext(ctx, "internal error", "request_id", shopfloor.RequestID(ctx), "path", gqlErr.Path.String(), "error", err)
			out.Message = shopfloor.MsgInternal
			code, status = string(shopfloor.CodeInternal), shopfloor.CodeInternal.Status()
		}
		out.Extensions = wire.Extensions(code, status)
		return out
	}
}

// recoverPanic turns a resolver's panic into an internal error, logging the
// stack; the client sees only the generic message.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		logger.ErrorContext(ctx, "panic in resolver", "request_id", shopfloor.RequestID(ctx), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return fmt.Errorf("panic: %v", v)
	}
}
