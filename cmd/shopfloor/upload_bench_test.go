package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// uploadSize is the file BenchmarkLargeUpload sends: 1 GiB.
const uploadSize = 1 << 30

// patternReader yields n bytes of a repeating pattern without holding them.
type patternReader struct{ left int64 }

var pattern = bytes.Repeat([]byte("shopfloor large upload "), 2048)

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := copy(p, pattern)
	if int64(n) > r.left {
		n = int(r.left)
	}
	r.left -= int64(n)
	return n, nil
}

// rssKiB reads the process's resident set from /proc.
func rssKiB(tb testing.TB) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}

// BenchmarkLargeUpload PUTs a 1 GiB file through an in-process server (the
// client and the server in this process) and reports how far the
// process's resident set rose above where it stood before the upload
// (rss-growth-MiB, sampled every 10 ms): the content is streamed to the
// blob store, so it stays flat, far below the file's size.
func BenchmarkLargeUpload(b *testing.B) {
	s := startServer(b)
	tok := s.token(b, 0, shopfloor.RoleAdmin)
	var part struct{ Part testPart }
	s.gql(b, tok, `mutation { createPart(input: {partNumber: "BENCH-UPLOAD"}) { part { id entityId _etag } } }`, nil).must(b).field(b, "createPart", &part)
	b.SetBytes(uploadSize)
	var growth int64
	for b.Loop() {
		var out struct{ UploadURL string }
		s.gql(b, tok, `mutation($e: ID!) { createFileAttachment(input: {entityId: $e, filename: "large.bin"}) { uploadUrl } }`,
			map[string]any{"e": part.Part.EntityID}).must(b).field(b, "createFileAttachment", &out)
		base := rssKiB(b)
		done := make(chan struct{})
		var peak int64
		var wg sync.WaitGroup
		wg.Go(func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				peak = max(peak, rssKiB(b))
				select {
				case <-done:
					return
				case <-tick.C:
				}
			}
		})
		req, err := http.NewRequest(http.MethodPut, out.UploadURL, &patternReader{left: uploadSize})
		if err != nil {
			b.Fatal(err)
		}
		req.ContentLength = uploadSize
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := http.DefaultClient.Do(req)
		close(done)
		wg.Wait()
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("PUT: %d", resp.StatusCode)
		}
		growth = max(growth, peak-base)
	}
	b.ReportMetric(float64(growth)/1024, "rss-growth-MiB")
}
