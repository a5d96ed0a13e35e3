package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/metrics"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// DefaultTimeout is the request deadline: ION answers a request that runs
// longer with a 5xx.
const DefaultTimeout = 30 * time.Second

// Options configure the handler beyond its store.
type Options struct {
	Limits  Limits
	Timeout time.Duration // request deadline; 0 means DefaultTimeout
	Faults  *Faults       // nil: no fault injection
	Metrics *metrics.Metrics
	Logger  *slog.Logger
	// RealmURL is the OpenID realm's URL, whose endpoints OAuth apps use.
	RealmURL string
}

// Handler serves POST /graphql as ION does: every GraphQL outcome, errors
// included, is HTTP 200 with errors[]; transport failures are not: a body
// that is not a GraphQL request (400), the rate limit (429), a database
// that does not answer (503), the deadline (504). It expects the principal
// in the request context.
type Handler struct {
	store   shopfloor.Store
	exec    *executor.Executor
	present graphql.ErrorPresenterFunc
	limits  Limits
	timeout time.Duration
	faults  *Faults
	metrics *metrics.Metrics
	logger  *slog.Logger

	// rowCounts are the organizations' row counts the cost model charges
	// lists by.
	rowCounts *rowCounts
}

// NewHandler returns the GraphQL handler over store.
func NewHandler(store shopfloor.Store, opts Options) *Handler {
	exec := executor.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: store, MaxPageSize: opts.Limits.MaxPageSize, RealmURL: opts.RealmURL}}))
	exec.Use(extension.Introspection{})
	exec.AroundFields(admitRootFields)
	exec.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	present := presentError(opts.Logger)
	exec.SetErrorPresenter(present)
	exec.SetRecoverFunc(recoverPanic(opts.Logger))
	h := &Handler{store: store, exec: exec, present: present, limits: opts.Limits, timeout: opts.Timeout, faults: opts.Faults, metrics: opts.Metrics, logger: opts.Logger}
	if h.timeout <= 0 {
		h.timeout = DefaultTimeout
	}
	h.rowCounts = &rowCounts{store: store, logger: opts.Logger, byOrg: map[int64]countedAt{}}
	exec.AroundRootFields(mutationDeadline(h.timeout))
	exec.AroundRootFields(newOrgSlots(opts.Limits.OrgConcurrency).middleware)
	return h
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
	fault, ok := h.faults.pick(r)
	if !ok {
		wire.WriteError(w, shopfloor.CodeBadRequest, fmt.Sprintf("Unknown %s; use one of %v.", FaultHeader, allFaults))
		return
	}
	principal, err := shopfloor.PrincipalFrom(r.Context())
	if err != nil {
		wire.WriteError(w, shopfloor.CodeUnauthenticated, shopfloor.ErrorMessage(err))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	ctx = graphql.StartOperationTrace(withLoaders(ctx, h.store))
	params := &graphql.RawParams{Query: req.Query, Variables: req.Variables, OperationName: req.OperationName, Extensions: req.Extensions}

	opCtx, errs := h.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		wire.WriteJSON(w, http.StatusOK, h.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		return
	}
	rows := h.rowCounts.of(ctx, principal.OrgID)
	cost, depth := costModel{vars: opCtx.Variables, maxPage: h.limits.MaxPageSize, rows: rows}.measure(opCtx.Operation.SelectionSet, 0)
	shopfloor.LogOperation(ctx, opCtx.Operation.Name, cost)
	if err := h.limits.checkShape(cost, depth); err != nil {
		h.answerError(ctx, w, err)
		return
	}
	spent, err := h.spend(ctx, principal, cost)
	if err != nil {
		h.answerError(ctx, w, err)
		return
	}
	setRateHeaders(w, spent)
	if spent != nil && !spent.Allowed {
		writeRateLimited(w, spent.RetryAfter)
		return
	}
	if fault != "" && h.injected(ctx, w, opCtx, fault) {
		return
	}

	handle, respCtx := h.exec.DispatchOperation(ctx, opCtx)
	resp := handle(respCtx)
	switch {
	// Past the deadline a query is a 504; so is a mutation none of whose
	// fields started (resp is nil), since nothing was written. A mutation
	// that started answers what it did (mutationDeadline).
	case resp == nil, errors.Is(ctx.Err(), context.DeadlineExceeded) && opCtx.Operation.Operation != ast.Mutation:
		h.writeTimeout(w)
		return
	case hasCode(resp.Errors, shopfloor.CodeUnavailable):
		wire.WriteError(w, shopfloor.CodeUnavailable, shopfloor.MsgUnavailable)
		return
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = costExtension(cost, spent)
	wire.WriteJSON(w, http.StatusOK, resp)
}

// answerError answers HTTP 200 with err for the whole operation,
// GraphQL-style (data null).
func (h *Handler) answerError(ctx context.Context, w http.ResponseWriter, err error) {
	wire.WriteJSON(w, http.StatusOK, &graphql.Response{Errors: gqlerror.List{h.present(ctx, err)}})
}

// writeTimeout is the answer to a request that ran past its deadline.
func (h *Handler) writeTimeout(w http.ResponseWriter) {
	wire.WriteError(w, shopfloor.CodeTimeout, fmt.Sprintf("The request did not finish within %s and was cancelled; retry with a smaller page.", h.timeout))
}

// costExtension is extensions.cost: what the operation cost and, under a
// rate limit, the bucket's size and what is left of it.
func costExtension(cost int, spent *ratelimit.Result) map[string]any {
	ext := map[string]any{"requested": cost}
	if spent != nil {
		ext["limit"], ext["remaining"] = spent.Limit, spent.Remaining
	}
	return ext
}

func hasCode(errs gqlerror.List, code shopfloor.Code) bool {
	for _, e := range errs {
		if e.Extensions["code"] == string(code) {
			return true
		}
	}
	return false
}
