package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/blobstore"
	"github.com/shopfloor-dev/shopfloor/metrics"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

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
	// Files signs the URLs of files' content; Bucket names their store.
	Files  *blobstore.URLs
	Bucket string
}

// Handler serves POST /graphql as ION does: a body is one request, or a
// batch (a JSON array of them, answered with an array in order); every
// GraphQL outcome, errors included, is HTTP 200 with errors[]; transport
// failures are not: a body that is not a GraphQL request or batch (400),
// the rate limit (429), a database that does not answer (503), the
// deadline (504). It expects the principal in the request context.
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
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{Store: store, MaxPageSize: opts.Limits.MaxPageSize, RealmURL: opts.RealmURL, Files: opts.Files, Bucket: opts.Bucket}})
	exec := executor.New(schema)
	exec.Use(extension.Introspection{})
	docs := lru.New[*ast.QueryDocument](1000)
	exec.SetQueryCache(docs)
	exec.SetDefaultRulesFn(validationRules)
	exec.Use(enumCase{schema: schema.Schema(), docs: docs})
	exec.SetParserTokenLimit(maxQueryTokens)
	present := presentError(opts.Logger)
	exec.SetErrorPresenter(present)
	exec.SetRecoverFunc(recoverPanic(opts.Logger))
	h := &Handler{store: store, exec: exec, present: present, limits: opts.Limits, timeout: opts.Timeout, faults: opts.Faults, metrics: opts.Metrics, logger: opts.Logger}
	if h.timeout <= 0 {
		h.timeout = DefaultTimeout
	}
	if h.limits.MaxBatch <= 0 {
		h.limits.MaxBatch = DefaultMaxBatch
	}
	h.rowCounts = &rowCounts{store: store, logger: opts.Logger, byOrg: map[int64]countedAt{}}
	exec.AroundRootFields(mutationDeadline(h.timeout))
	exec.AroundRootFields(newOrgSlots(opts.Limits.OrgConcurrency).middleware)
	exec.AroundRootFields(admitRootFields)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqs, batch, err := decodeBody(w, r, h.limits.MaxBatch)
	if err != nil {
		wire.WriteError(w, shopfloor.CodeBadRequest, shopfloor.ErrorMessage(err))
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
	ctx, data := withDataBuffers(ctx)
	defer data.release() // after the answer is written

	// Every operation is prepared first: the batch's cost is charged once.
	rows := h.rowCounts.of(ctx, principal.OrgID)
	ops := make([]*operation, len(reqs))
	cost := 0
	for i, req := range reqs {
		ops[i] = h.prepare(ctx, req, rows)
		cost += ops[i].cost
	}
	shopfloor.LogOperation(ctx, ops[0].name(), cost)
	spent, err := h.spend(ctx, principal, cost)
	if err != nil { // a cost that no bucket can ever hold
		refused := &graphql.Response{Errors: gqlerror.List{h.present(ctx, err)}}
		if batch { // every operation of it answers the refusal, in its place
			wire.WriteJSON(w, http.StatusOK, slices.Repeat([]*graphql.Response{refused}, len(ops)))
		} else {
			wire.WriteJSON(w, http.StatusOK, refused)
		}
		return
	}
	setRateHeaders(w, spent)
	if spent != nil && !spent.Allowed {
		writeRateLimited(w, spent.RetryAfter)
		return
	}
	if fault != "" && h.injected(ctx, w, fault) {
		return
	}

	resps := make([]*graphql.Response, len(ops))
	wrote := false // a mutation of this body has run: no 5xx may hide what it wrote
	for i, op := range ops {
		switch {
		case wrote && ctx.Err() != nil:
			resps[i] = h.didNotRun(ctx)
		case i == 0 && fault == faultEtagConflict:
			resps[i] = h.conflict(ctx, w, op)
		}
		if resps[i] == nil {
			resps[i] = h.run(op)
		}
		switch {
		// Past the deadline a query is a 504, and so is a mutation none of
		// whose fields started (its answer is nil), as long as nothing was
		// written; a mutation that started answers what it did
		// (mutationDeadline), and so does every operation after it.
		case !wrote && (resps[i] == nil || errors.Is(ctx.Err(), context.DeadlineExceeded) && !op.mutation()):
			h.writeTimeout(w)
			return
		case resps[i] == nil:
			resps[i] = h.didNotRun(ctx)
		case !wrote && hasCode(resps[i].Errors, shopfloor.CodeUnavailable):
			wire.WriteError(w, shopfloor.CodeUnavailable, shopfloor.MsgUnavailable)
			return
		}
		wrote = wrote || op.mutation()
		if resps[i].Extensions == nil {
			resps[i].Extensions = map[string]any{}
		}
		resps[i].Extensions["cost"] = costExtension(op.cost, spent)
	}
	writeResponses(w, batch, resps)
}

// operation is one GraphQL request of a body, parsed, validated and
// measured; or answered already, by the errors that stopped it before it
// could run (each of them costs 1).
type operation struct {
	ctx    context.Context
	opCtx  *graphql.OperationContext
	cost   int
	failed *graphql.Response
}

// mutation reports whether op is a mutation that was let run.
func (op *operation) mutation() bool {
	return op.failed == nil && op.opCtx.Operation.Operation == ast.Mutation
}

// name is the operation's name, for logs and metrics.
func (op *operation) name() string {
	if op.opCtx == nil || op.opCtx.Operation == nil {
		return ""
	}
	return op.opCtx.Operation.Name
}

// prepare parses, validates and measures req, and checks its shape; rows
// are the caller's organization's row counts (costModel.rows).
func (h *Handler) prepare(ctx context.Context, req Request, rows map[string]int) *operation {
	ctx = graphql.StartOperationTrace(withLoaders(ctx, h.store))
	params := &graphql.RawParams{Query: req.Query, Variables: req.Variables, OperationName: req.OperationName, Extensions: req.Extensions}
	opCtx, errs := h.exec.CreateOperationContext(ctx, params)
	if errs == nil {
		ctx = shopfloor.WithSelection(ctx, selectionOf(opCtx.Operation.SelectionSet))
	}
	op := &operation{ctx: ctx, opCtx: opCtx}
	if errs != nil {
		op.cost = len(errs)
		op.failed = h.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), capErrors(errs))
		return op
	}
	shape := costModel{vars: opCtx.Variables, maxPage: h.limits.MaxPageSize, rows: rows}.measureOperation(opCtx.Operation.SelectionSet)
	op.cost = shape.cost
	if err := h.limits.checkShape(shape); err != nil {
		op.cost = 1
		op.failed = &graphql.Response{Errors: gqlerror.List{h.present(ctx, err)}}
	}
	return op
}

// run executes a prepared operation, or returns the errors that stopped it.
func (h *Handler) run(op *operation) *graphql.Response {
	if op.failed != nil {
		return op.failed
	}
	handle, respCtx := h.exec.DispatchOperation(op.ctx, op.opCtx)
	return handle(respCtx)
}

// didNotRun is the answer of an operation of a batch that the deadline kept
// from running, after another one wrote.
func (h *Handler) didNotRun(ctx context.Context) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{h.present(ctx, errDidNotRun(h.timeout, "operation"))}}
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
