package graph

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// FaultHeader asks a server started with --faults for a fault.
const FaultHeader = "X-Shopfloor-Fault"

// Faults, when enabled, let integrators test their clients' retry and
// conflict handling against the contract's exact shapes: a request names a
// fault in FaultHeader, or a random Rate of requests get one of the
// retryable ones. A nil *Faults injects nothing.
type Faults struct {
	Rate float64 // share of requests that get a random retryable fault
}

// The faults a request may ask for.
const (
	faultRateLimit    = "429"
	faultInternal     = "500"
	faultBadGateway   = "502"
	faultUnavailable  = "503"
	faultTimeout      = "timeout"
	faultEtagConflict = "etag-conflict"
)

var (
	allFaults       = []string{faultRateLimit, faultInternal, faultBadGateway, faultUnavailable, faultTimeout, faultEtagConflict}
	retryableFaults = []string{faultRateLimit, faultInternal, faultBadGateway, faultUnavailable}
)

// pick returns the fault for r ("" for none), or ok false when r names an
// unknown one.
func (f *Faults) pick(r *http.Request) (fault string, ok bool) {
	if f == nil {
		return "", true
	}
	if asked := strings.TrimSpace(r.Header.Get(FaultHeader)); asked != "" {
		for _, known := range allFaults {
			if asked == known {
				return asked, true
			}
		}
		return "", false
	}
	if f.Rate > 0 && rand.Float64() < f.Rate {
		return retryableFaults[rand.IntN(len(retryableFaults))], true
	}
	return "", true
}

// injected answers with a transport fault in the exact shape the real
// failure has, and names it in FaultHeader on the response so that a
// client's logs can tell it from a real one. An etag conflict is not
// answered here (see conflict): it returns false.
func (h *Handler) injected(ctx context.Context, w http.ResponseWriter, fault string) bool {
	if fault == faultEtagConflict {
		return false
	}
	w.Header().Set(FaultHeader, fault)
	switch fault {
	case faultRateLimit:
		h.metrics.RateLimited("fault")
		writeRateLimited(w, time.Second)
	case faultInternal:
		wire.WriteError(w, shopfloor.CodeInternal, shopfloor.MsgInternal)
	case faultBadGateway:
		wire.WriteError(w, shopfloor.CodeBadGateway, "Bad gateway: the upstream did not answer; retry with backoff.")
	case faultUnavailable:
		wire.WriteError(w, shopfloor.CodeUnavailable, shopfloor.MsgUnavailable)
	case faultTimeout:
		<-ctx.Done()
		h.writeTimeout(w)
	}
	return true
}

// conflict is op's answer when its first root field fails as a stale etag
// would make it, or nil when op has no field to fail (it then runs).
func (h *Handler) conflict(ctx context.Context, w http.ResponseWriter, op *operation) *graphql.Response {
	if op.failed != nil {
		return nil
	}
	field := firstField(op.opCtx.Operation.SelectionSet)
	if field == nil {
		return nil
	}
	w.Header().Set(FaultHeader, faultEtagConflict)
	e := h.present(ctx, shopfloor.ErrEtagMismatch)
	e.Path = ast.Path{ast.PathName(field.Alias)}
	e.Locations = []gqlerror.Location{{Line: field.Position.Line, Column: field.Position.Column}}
	data, _ := json.Marshal(map[string]any{field.Alias: nil})
	return &graphql.Response{Data: data, Errors: gqlerror.List{e}}
}

func firstField(set ast.SelectionSet) *ast.Field {
	for _, sel := range set {
		if f, ok := sel.(*ast.Field); ok {
			return f
		}
	}
	return nil
}
