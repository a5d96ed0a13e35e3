package server

import (
	"net/http"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// routes lists Shopfloor's whole HTTP surface.
func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("POST /graphql", s.cors(s.authn.Authenticate, s.graphql))
	mux.Handle("OPTIONS /graphql", s.preflight())
	mux.Handle("/graphql", methodNotAllowed("POST"))

	// The realm (API keys and OAuth apps), at Keycloak's current and legacy paths.
	for _, prefix := range []string{"", "/auth"} {
		realm := prefix + auth.RealmPath
		mux.Handle("POST "+realm+auth.TokenPath, s.cors(nil, s.authn.TokenHandler()))
		mux.Handle("OPTIONS "+realm+auth.TokenPath, s.preflight())
		mux.Handle("GET "+realm+auth.AuthPath, s.authn.AuthorizeHandler())
		mux.Handle("POST "+realm+auth.AuthPath, s.authn.AuthorizeHandler())
		mux.Handle("GET "+realm+auth.CertsPath, s.authn.JWKSHandler())
		mux.Handle("GET "+realm+"/.well-known/openid-configuration", s.authn.DiscoveryHandler())
	}

	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", s.readyz())
	if s.metrics != nil && !s.transport.MetricsElsewhere {
		mux.Handle("GET /metrics", loopbackOnly(s.metrics.Handler()))
	}
	mux.Handle("GET /playground", playground())
	mux.Handle("GET /{$}", http.RedirectHandler("/playground", http.StatusFound))
	mux.Handle("/", notFound())
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		wire.WriteErrorStatus(w, http.StatusMethodNotAllowed, shopfloor.CodeBadRequest, "Method "+r.Method+" is not allowed; use "+allow+".")
	})
}

func notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire.WriteError(w, shopfloor.CodeNotFound, "No such endpoint: "+r.URL.Path)
	})
}
