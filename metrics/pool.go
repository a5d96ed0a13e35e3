package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollectors report PostgreSQL's connection pool, under both the reads
// that go to it directly and database/sql: go_sql_* count the latter only.
func poolCollectors(pool *pgxpool.Pool) []prometheus.Collector {
	gauge := func(name, help string, v func(*pgxpool.Stat) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return v(pool.Stat()) })
	}
	counter := func(name, help string, v func(*pgxpool.Stat) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return v(pool.Stat()) })
	}
	return []prometheus.Collector{
		gauge("shopfloor_pg_pool_max_connections", "The most PostgreSQL connections the pool opens.",
			func(s *pgxpool.Stat) float64 { return float64(s.MaxConns()) }),
		gauge("shopfloor_pg_pool_acquired_connections", "PostgreSQL connections in use.",
			func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) }),
		gauge("shopfloor_pg_pool_idle_connections", "Open PostgreSQL connections not in use.",
			func(s *pgxpool.Stat) float64 { return float64(s.IdleConns()) }),
		counter("shopfloor_pg_pool_acquires_total", "Connections taken from the pool.",
			func(s *pgxpool.Stat) float64 { return float64(s.AcquireCount()) }),
		counter("shopfloor_pg_pool_empty_acquires_total", "Connections taken after waiting, the pool being empty.",
			func(s *pgxpool.Stat) float64 { return float64(s.EmptyAcquireCount()) }),
		counter("shopfloor_pg_pool_acquire_wait_seconds_total", "Time spent waiting for a connection.",
			func(s *pgxpool.Stat) float64 { return s.AcquireDuration().Seconds() }),
	}
}
