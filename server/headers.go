package server

import (
	"net"
	"net/http"

	"github.com/shopfloor-dev/shopfloor/wire"
)

// secureHeaders sets what every answer carries: nosniff, no caching (a
// handler may say otherwise), and a Bearer challenge on a 401 that has no
// challenge of its own.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(&challengeWriter{ResponseWriter: w}, r)
	})
}

// challengeWriter adds WWW-Authenticate to a 401 without one.
type challengeWriter struct{ http.ResponseWriter }

func (w *challengeWriter) WriteHeader(status int) {
	if status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", wire.BearerChallenge(""))
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *challengeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// loopbackOnly serves next to connections made to a loopback address, and
// answers any other as an unknown endpoint.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if tcp, ok := local.(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
			notFound().ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
