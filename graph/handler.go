package graph

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/ast"
)

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// Handler serves POST /graphql as ION does: every GraphQL outcome, errors
// included, is HTTP 200 with errors[]; only a body that is not a GraphQL
// request at all is a 400. It expects the principal in the request context.
type Handler struct {
	store shopfloor.Store
	exec  *executor.Executor
}

// NewHandler returns the GraphQL handler over store.
func NewHandler(store shopfloor.Store, logger *slog.Logger) *Handler {
	exec := executor.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: store}}))
	exec.Use(extension.Introspection{})
	exec.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	exec.SetErrorPresenter(presentError(logger))
	exec.SetRecoverFunc(recoverPanic(logger))
	return &Handler{store: store, exec: exec}
}

// Request is the JSON body of a GraphQL request.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
	Extensions    map[string]any `json:"extensions"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		msg := "Malformed request: the body is not valid JSON."
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			msg = "Malformed request: the body is larger than 1 MiB."
		}
		wire.WriteError(w, shopfloor.CodeBadRequest, msg)
		return
	}
	if req.Query == "" {
		wire.WriteError(w, shopfloor.CodeBadRequest, "Malformed request: the body has no query.")
		return
	}
	ctx := graphql.StartOperationTrace(withLoaders(r.Context(), h.store))
	params := &graphql.RawParams{
		Query:         req.Query,
		Variables:     req.Variables,
		OperationName: req.OperationName,
		Extensions:    req.Extensions,
	}
	var resp *graphql.Response
	opCtx, errs := h.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp = h.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
	} else {
		handle, opCtx := h.exec.DispatchOperation(ctx, opCtx)
		resp = handle(opCtx)
	}
	wire.WriteJSON(w, http.StatusOK, resp)
}
