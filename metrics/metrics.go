// Package metrics exposes Shopfloor's Prometheus metrics: requests by
// operation and status class, latency, rate-limit rejections and the
// database pool.
package metrics

import (
	"database/sql"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxOperations bounds the distinct operation names kept as labels; clients
// choose the names, so the rest are counted as "other".
const maxOperations = 200

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// Metrics holds the collectors of one server. Its methods are safe on a nil
// *Metrics, which records nothing.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	rateLimited *prometheus.CounterVec

	mu         sync.Mutex
	operations map[string]bool
}

// New returns the metrics, reporting the pool of db too, and PostgreSQL's
// connection pool when there is one.
func New(db *sql.DB, pool *pgxpool.Pool) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopfloor_requests_total", Help: "HTTP requests by GraphQL operation and status class.",
		}, []string{"operation", "status_class"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shopfloor_request_duration_seconds", Help: "HTTP request latency by GraphQL operation.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}, []string{"operation"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopfloor_rate_limited_total", Help: "Requests refused with 429, by bucket scope (org or key).",
		}, []string{"scope"}),
		operations: make(map[string]bool),
	}
	m.registry.MustRegister(m.requests, m.latency, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "shopfloor"))
	}
	if pool != nil {
		m.registry.MustRegister(poolCollectors(pool)...)
	}
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// label bounds the operation label's cardinality.
func (m *Metrics) label(op string) string {
	if op == "" {
		return "none"
	}
	if !operationName.MatchString(op) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.operations[op] {
		if len(m.operations) >= maxOperations {
			return "other"
		}
		m.operations[op] = true
	}
	return op
}

// ObserveRequest records one finished request.
func (m *Metrics) ObserveRequest(operation string, status int, d time.Duration) {
	if m == nil {
		return
	}
	op := m.label(operation)
	m.requests.WithLabelValues(op, strconv.Itoa(status/100)+"xx").Inc()
	m.latency.WithLabelValues(op).Observe(d.Seconds())
}

// RateLimited records a 429 from the bucket of scope ("org" or "key").
func (m *Metrics) RateLimited(scope string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(scope).Inc()
}
