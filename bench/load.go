package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sample is what one load run measured.
type sample struct {
	requests float64 // per second
	p50, p99 time.Duration
	errors   int // non-200 answers, GraphQL errors and socket errors
}

// wrkScript is the Lua that drives wrk: POST bodies, per-thread error
// counts, and one JSON line of results at the end. With rows, each request
// takes an (id, etag) pair from its thread's queue and the answer's new etag
// goes back to it, so that etag-checked writes never conflict.
const wrkScript = `
wrk.method = "POST"
wrk.headers["Content-Type"] = %q
local auth = %q
if auth ~= "" then wrk.headers["Authorization"] = auth end
local body = %q
local rows = {%s}
local threads = {}
local nthreads = %d

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  queue, head = {}, 1
  for i = tid + 1, #rows, nthreads do queue[#queue + 1] = rows[i] end
  if #rows == 0 then req = wrk.format(nil, nil, nil, body) end
end

function request()
  if req then return req end
  local r = queue[head]
  queue[head] = nil
  head = head + 1
  return wrk.format(nil, nil, nil, string.format(body, r[1], r[2], 1 + (head %% 97)))
end

function response(status, headers, b)
  if status ~= 200 or b:find('"errors"', 1, true) then
    errors = errors + 1
    return
  end
  if not req then
    local id = b:match('[iI]d":"?(%%d+)')
    local etag = b:match('"_?etag":"(%%x+)"')
    queue[#queue + 1] = {tonumber(id), etag}
  end
end

function done(summary, latency, requests)
  local e = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  io.write(string.format('BENCH {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"errors":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e))
end
`

// wrkThreads is wrk's thread count: one per core of this machine.
const wrkThreads = 2

// request is one operation's HTTP request to one server.
type request struct {
	url, contentType, auth string
	// body is the request body; with rows it is a format taking an id, an
	// etag and a quantity.
	body string
	rows []row
}

// row is an inventory row and its current etag.
type row struct {
	id   int64
	etag string
}

// runWrk loads url for d with conns connections.
func runWrk(ctx context.Context, dir string, r request, conns int, d time.Duration) (sample, error) {
	var rows strings.Builder
	for i, rw := range r.rows {
		if i > 0 {
			rows.WriteByte(',')
		}
		fmt.Fprintf(&rows, "{%d,%q}", rw.id, rw.etag)
	}
	script := filepath.Join(dir, "wrk.lua")
	lua := fmt.Sprintf(wrkScript, r.contentType, r.auth, r.body, rows.String(), wrkThreads)
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return sample{}, err
	}
	out, err := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(wrkThreads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%.0fs", d.Seconds()), "--timeout", "10s", "-s", script, r.url).CombinedOutput()
	if err != nil {
		return sample{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	_, line, ok := bytes.Cut(out, []byte("BENCH "))
	if !ok {
		return sample{}, fmt.Errorf("wrk printed no result: %s", out)
	}
	line, _, _ = bytes.Cut(line, []byte("\n"))
	var res struct {
		Requests   int64 `json:"requests"`
		DurationUS int64 `json:"duration_us"`
		P50US      int64 `json:"p50_us"`
		P99US      int64 `json:"p99_us"`
		Errors     int64 `json:"errors"`
	}
	if err := json.Unmarshal(line, &res); err != nil {
		return sample{}, fmt.Errorf("wrk result %q: %w", line, err)
	}
	return sample{
		requests: float64(res.Requests) / (float64(res.DurationUS) / 1e6),
		p50:      time.Duration(res.P50US) * time.Microsecond,
		p99:      time.Duration(res.P99US) * time.Microsecond,
		errors:   int(res.Errors),
	}, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// runPgbench replays script (one transaction per request) against url for d
// with conns connections, as prepared statements; latencies come from its
// per-transaction log.
func runPgbench(ctx context.Context, dir, url, script string, conns int, d time.Duration) (sample, error) {
	file := filepath.Join(dir, "raw.sql")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		return sample{}, err
	}
	logs := filepath.Join(dir, "pgbench-log")
	if err := os.RemoveAll(logs); err != nil {
		return sample{}, err
	}
	if err := os.Mkdir(logs, 0o700); err != nil {
		return sample{}, err
	}
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(conns), "-j", strconv.Itoa(wrkThreads),
		"-T", strconv.Itoa(int(d.Seconds())), "-f", file, "-l", "--log-prefix", filepath.Join(logs, "tx"), url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return sample{}, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	var s sample // no tps line: no transaction finished in time
	if m := tpsLine.FindSubmatch(out); m != nil {
		s.requests, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if failed := regexp.MustCompile(`number of failed transactions: (\d+)`).FindSubmatch(out); failed != nil {
		s.errors, _ = strconv.Atoi(string(failed[1]))
	}
	lat, err := pgbenchLatencies(logs)
	if err != nil {
		return sample{}, err
	}
	s.p50, s.p99 = percentile(lat, 50), percentile(lat, 99)
	return s, nil
}

// pgbenchLatencies reads the transaction logs: "client tx latency_us ...".
func pgbenchLatencies(dir string) ([]time.Duration, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "tx*"))
	var lat []time.Duration
	for _, f := range files {
		file, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) > 2 {
				us, _ := strconv.ParseInt(fields[2], 10, 64)
				lat = append(lat, time.Duration(us)*time.Microsecond)
			}
		}
		file.Close()
	}
	return lat, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	slices.Sort(sorted)
	return sorted[(len(sorted)-1)*p/100]
}
