package server

import (
	"context"
	"net/http"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// Origins finds the organizations whose OAuth apps registered a browser
// origin (a redirect URI of type origin).
type Origins interface {
	OriginOrgs(ctx context.Context, origin string) ([]int64, error)
}

// What a browser app may send, and may read, under CORS.
const (
	corsAllowHeaders  = "Authorization, Content-Type, Idempotency-Key, X-Request-Id, X-Shopfloor-Fault"
	corsExposeHeaders = "Retry-After, WWW-Authenticate, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
	corsMaxAge        = "600"
)

// registeredOrgs returns the request's Origin and the organizations that
// registered it (none without an Origin).
func (s *Server) registeredOrgs(r *http.Request) (string, []int64, error) {
	origin := r.Header.Get("Origin")
	if origin == "" || s.origins == nil {
		return origin, nil, nil
	}
	orgs, err := s.origins.OriginOrgs(r.Context(), origin)
	if err != nil {
		s.logger.WarnContext(r.Context(), "cors origin", "request_id", shopfloor.RequestID(r.Context()), "error", err)
	}
	return origin, orgs, err
}

// preflight answers a CORS preflight: an origin some organization
// registered may POST; any other is refused with a 403.
func (s *Server) preflight() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin, orgs, err := s.registeredOrgs(r)
		switch {
		case err != nil:
			wire.WriteError(w, shopfloor.ErrorCode(err), shopfloor.ErrorMessage(err))
			return
		case origin == "":
			h.Set("Allow", "POST, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		case len(orgs) == 0:
			wire.WriteError(w, shopfloor.CodeForbidden, "Origin "+origin+" is not allowed: register it as an origin URI of an OAuth app.")
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "POST")
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}

// corsGrantKey carries a request's *corsGrant to the layer below
// authentication.
type corsGrantKey struct{}

// corsGrant is the decision, at the first byte of the answer, whether its
// origin may read it.
type corsGrant struct {
	http.ResponseWriter
	origin  string
	orgs    []int64
	perOrg  bool  // the answer is an organization's: its org must match
	org     int64 // the organization the request authenticated as
	decided bool
}

// cors lets an origin that some organization registered read next's
// answers. With authenticate, next is served behind it and the answer is
// an organization's: the origin may read it only when the request
// authenticated as an organization that registered it, or was refused as
// unauthenticated (a 401 tells nothing of any organization).
func (s *Server) cors(authenticate func(http.Handler) http.Handler, next http.Handler) http.Handler {
	if authenticate != nil {
		inner := next
		next = authenticate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if g, ok := r.Context().Value(corsGrantKey{}).(*corsGrant); ok {
				if p, err := shopfloor.PrincipalFrom(r.Context()); err == nil {
					g.org = p.OrgID
				}
			}
			inner.ServeHTTP(w, r)
		}))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin, orgs, _ := s.registeredOrgs(r) // a failed lookup grants nothing; next answers for itself
		if origin != "" {
			w.Header().Add("Vary", "Origin")
		}
		if len(orgs) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		g := &corsGrant{ResponseWriter: w, origin: origin, orgs: orgs, perOrg: authenticate != nil}
		next.ServeHTTP(g, r.WithContext(context.WithValue(r.Context(), corsGrantKey{}, g)))
	})
}

// decide sets the CORS headers, once, if the origin may read an answer
// of this status.
func (g *corsGrant) decide(status int) {
	if g.decided {
		return
	}
	g.decided = true
	if g.perOrg && status != http.StatusUnauthorized && !slices.Contains(g.orgs, g.org) {
		return
	}
	h := g.Header()
	h.Set("Access-Control-Allow-Origin", g.origin)
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

func (g *corsGrant) WriteHeader(status int) {
	g.decide(status)
	g.ResponseWriter.WriteHeader(status)
}

func (g *corsGrant) Write(p []byte) (int, error) {
	g.decide(http.StatusOK)
	return g.ResponseWriter.Write(p)
}

func (g *corsGrant) Unwrap() http.ResponseWriter { return g.ResponseWriter }
