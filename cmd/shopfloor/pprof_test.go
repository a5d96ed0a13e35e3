package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// --pprof-addr serves Go's profiles on a listener of its own.
func TestPprofListener(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	errc := make(chan error, 1)
	stop, err := servePprof(addr, time.Second, errc)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("got %d %.200s", resp.StatusCode, body)
	}
	if _, err := servePprof(addr, time.Second, errc); err == nil {
		t.Fatal("a second listener on the same address: want an error")
	}
}
