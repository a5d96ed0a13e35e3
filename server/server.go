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
	"sync/atomic"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/graph"
	"github.com/shopfloor-dev/shopfloor/metrics"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// Check is one readiness check: the database, its migrations, Redis.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// Config assembles a server.
type Config struct {
	Store   shopfloor.Store
	Auth    *auth.Authenticator
	GraphQL graph.Options
	Ready   []Check
	Metrics *metrics.Metrics
	Logger  *slog.Logger
	// Origins, if set, finds the browser origins organizations registered,
	// which CORS lets call the API.
	Origins   Origins
	Transport Transport
	// IdempotencyTTL is how long an Idempotency-Key's answer is kept; 0
	// turns keys off.
	IdempotencyTTL time.Duration
	// Files serves the signed file URLs (blobstore.Handler).
	Files http.Handler
}

// Server is Shopfloor's HTTP handler.
type Server struct {
	authn     *auth.Authenticator
	graphql   http.Handler
	ready     []Check
	metrics   *metrics.Metrics
	logger    *slog.Logger
	handler   http.Handler
	draining  atomic.Bool
	origins   Origins
	transport Transport
	files     http.Handler
}

// New returns the server of cfg.
func New(cfg Config) *Server {
	cfg.GraphQL.Logger, cfg.GraphQL.Metrics = cfg.Logger, cfg.Metrics
	s := &Server{authn: cfg.Auth, graphql: Idempotent(cfg.Store, cfg.IdempotencyTTL, cfg.Logger, graph.NewHandler(cfg.Store, cfg.GraphQL)), ready: cfg.Ready,
		metrics: cfg.Metrics, logger: cfg.Logger, origins: cfg.Origins, transport: cfg.Transport, files: cfg.Files}
	s.transport.withDefaults()
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = graphqlPaths(s.requestID(secureHeaders(s.recoverPanics(s.logRequests(s.limitHeaders(s.limitBody(mux)))))))
	return s
}

// Drain makes the server report not ready, so that load balancers stop
// sending it requests while the ones in flight finish.
func (s *Server) Drain() { s.draining.Store(true) }

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

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs one line per request, with what the layers below
// learned (org, principal, operation, cost), and counts it in the metrics.
// Headers, and so tokens, are never logged.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, log := shopfloor.WithRequestLog(r.Context())
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		d := time.Since(start)
		if r.URL.Path == "/graphql" {
			s.metrics.ObserveRequest(log.Operation(), rec.status, d)
		}
		s.logger.InfoContext(ctx, "request", append([]any{"request_id", shopfloor.RequestID(ctx), "method", r.Method,
			"path", r.URL.Path, "status", rec.status, "duration_ms", d.Milliseconds()}, log.Fields()...)...)
	})
}

func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// readyz reports whether the server should get traffic: it is not
// draining and every check (database, migrations, Redis) passes.
func (s *Server) readyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			wire.WriteError(w, shopfloor.CodeUnavailable, "Not ready: the server is shutting down.")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		for _, c := range s.ready {
			if err := c.Check(ctx); err != nil {
				s.logger.WarnContext(ctx, "not ready", "check", c.Name, "error", err)
				wire.WriteError(w, shopfloor.CodeUnavailable, "Not ready: "+c.Name+" is unavailable.")
				return
			}
		}
		wire.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
