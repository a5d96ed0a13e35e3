package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// report renders the medians as a markdown table.
func report(e *environment, cfg *config, results map[cellKey][]measured, signs float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Shopfloor benchmark, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%d cores; %s; wrk (%d threads) and pgbench on loopback, %s per cell after a %s warm-up, %d interleaved round(s), medians; "+
		"Shopfloor without rate limits%s.\n\n", runtime.NumCPU(), e.counts, wrkThreads, cfg.duration, warmUp, cfg.rounds, gogcNote(cfg))
	fmt.Fprintf(&b, "RS256 signatures per second on this machine (Go crypto/rsa, 2048-bit, all cores, measured next to the token exchange's cells): **%.0f**, the token exchange's limit.\n\n", signs)
	b.WriteString("| operation | conns | server | req/s | p50 ms | p99 ms | × PostGraphile | × limit | CPU ms/req: server + PostgreSQL | RSS MiB | errors |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, op := range operations {
		for _, conns := range cfg.conns {
			cell := func(target string) (measured, bool) {
				ms, ok := results[cellKey{op.name, conns, target}]
				if !ok {
					return measured{}, false
				}
				return median(ms), true
			}
			pgl, hasPGL := cell(namePostGraphile)
			limit, hasLimit := cell(nameRaw)
			limitRate := limit.requests
			if op.raw == nil {
				limitRate, hasLimit = signs, signs > 0
			}
			for _, t := range e.targets {
				m, ok := cell(t.name)
				if !ok {
					continue
				}
				ratio := func(base float64, has bool) string {
					if !has || base == 0 {
						return "—"
					}
					return fmt.Sprintf("%.2f×", m.requests/base)
				}
				cpu := fmt.Sprintf("%s + %s", ms(m.serverCPU), ms(m.pgCPU))
				switch t.name {
				case nameRaw:
					cpu = "— + " + ms(m.pgCPU)
				case nameShopfloorSQLite:
					cpu = ms(m.serverCPU) + " (embedded)"
				}
				rssText := "—"
				if m.rss > 0 {
					rssText = fmt.Sprintf("%.0f", float64(m.rss)/(1<<20))
				}
				fmt.Fprintf(&b, "| %s | %d | %s | %.0f | %s | %s | %s | %s | %s | %s | %d |\n", op.name, conns, t.name, m.requests,
					ms(m.p50), ms(m.p99), ratio(pgl.requests, hasPGL), ratio(limitRate, hasLimit), cpu, rssText, m.errors)
			}
		}
	}
	b.WriteString("\n× limit: to the raw-SQL limit (pgbench replaying the cheapest statements that give the same answer, as prepared " +
		"statements) or, for the token exchange, to the RS256 signatures per second. CPU from /proc/<pid>/stat of the server and of " +
		"PostgreSQL's backends over the cell; the load tools share the same cores. RSS: the server process's largest resident set during the cell.\n")
	return b.String()
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func gogcNote(cfg *config) string {
	if cfg.gogc == "" {
		return ""
	}
	return ", GOGC=" + cfg.gogc
}
