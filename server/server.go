// Package server assembles Shopfloor's HTTP server: routes, middleware,
// health and readiness.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/graph"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is Shopfloor's HTTP handler.
type Server struct {
	authn   *auth.Authenticator
	graphql http.Handler
	db      Pinger
	logger  *slog.Logger
	handler http.Handler
}

// New returns the server over store.
func New(store shopfloor.Store, db Pinger, authn *auth.Authenticator, logger *slog.Logger) *Server {
	s := &Server{authn: authn, graphql: graph.NewHandler(store, logger), db: db, logger: logger}
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.requestID(s.recoverPanics(s.logRequests(mux)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// requestID gives every request an id (the caller's X-Request-Id when it is
// sane), echoed in the response and carried into logs.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || !printable(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(shopfloor.WithRequestID(r.Context(), id)))
	})
}

func printable(s string) bool {
	for _, c := range []byte(s) {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// recoverPanics answers a panic outside GraphQL with the generic 500 in the
// contract's shape; the stack goes to the log only.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.ErrorContext(r.Context(), "panic", "request_id", shopfloor.RequestID(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				wire.WriteError(w, shopfloor.CodeInternal, shopfloor.MsgInternal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// logRequests logs one line per request. Headers, and so tokens, are never
// logged.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.logger.InfoContext(r.Context(), "request", "request_id", shopfloor.RequestID(r.Context()), "method", r.Method,
			"path", r.URL.Path, "status", rec.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// readyz reports whether the server can serve: its database answers.
func (s *Server) readyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.db.Ping(ctx); err != nil {
			wire.WriteError(w, shopfloor.CodeUnavailable, "The database is unavailable.")
			return
		}
		wire.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
