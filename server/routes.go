package server

import (
	"net/http"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/blobstore"
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

	// Auth0's token endpoint, where ION's older importers post JSON.
	mux.Handle("POST "+auth.LegacyTokenPath, s.authn.LegacyTokenHandler())

	// Files' content, at the signed URLs of blobstore (no credentials).
	if s.files != nil {
		mux.Handle("PUT "+blobstore.Path+"{key...}", s.files)
		mux.Handle("GET "+blobstore.Path+"{key...}", s.files) // and HEAD
	}

	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", s.readyz())
	if s.metrics != nil && !s.transport.MetricsElsewhere {
		mux.Handle("GET /metrics", loopbackOnly(s.metrics.Handler()))
	}
	playgroundRoutes(mux)
	mux.Handle("GET /contract.json", contractDocument())
	mux.Handle("GET /{$}", http.RedirectHandler("/playground", http.StatusFound))
	mux.Handle("/", notFound())
}

// graphqlPaths serves the URL shapes ION's clients build for /graphql
// (//graphql from a base URL with a trailing slash, /graphql/) as /graphql,
// before the mux would redirect them (a 301 turns a POST into a GET).
func graphqlPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/graphql" && strings.Trim(r.URL.Path, "/") == "graphql" {
			u := *r.URL
			u.Path, u.RawPath = "/graphql", ""
			r = r.WithContext(r.Context())
			r.URL = &u
		}
		next.ServeHTTP(w, r)
	})
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
