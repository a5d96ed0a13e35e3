package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// bodies are the buffers answers and their operations' data are written
// into, reused across requests.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 1 << 20

// putBody gives a buffer back to bodies, but a rare huge one.
func putBody(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		buf.Reset()
		bodies.Put(buf)
	}
}

// dataBuffers are the buffers a request's operations wrote their data into
// (the generated Exec takes each through dataBuffer), given back to bodies
// once the answer is written.
type dataBuffers struct {
	mu   sync.Mutex
	bufs []*bytes.Buffer
}

type dataBuffersKey struct{}

// withDataBuffers is ctx carrying the request's data buffers.
func withDataBuffers(ctx context.Context) (context.Context, *dataBuffers) {
	d := &dataBuffers{}
	return context.WithValue(ctx, dataBuffersKey{}, d), d
}

// dataBuffer is a buffer for an operation's data: a pooled one kept for the
// request's dataBuffers, or a new one outside a request that has them.
func dataBuffer(ctx context.Context) *bytes.Buffer {
	d, _ := ctx.Value(dataBuffersKey{}).(*dataBuffers)
	if d == nil {
		return new(bytes.Buffer)
	}
	buf := bodies.Get().(*bytes.Buffer)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bufs = append(d.bufs, buf)
	return buf
}

// release gives the buffers back: the answer they went into is written.
func (d *dataBuffers) release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, buf := range d.bufs {
		putBody(buf)
	}
	d.bufs = nil
}

// writeResponses answers HTTP 200 with one response, or a batch's array of
// them. A response's data is JSON gqlgen has written already: it is copied
// as it is, not decoded and checked again as encoding/json would.
func writeResponses(w http.ResponseWriter, batch bool, resps []*graphql.Response) {
	for _, r := range resps {
		if r.Label != "" || r.Path != nil || r.HasNext != nil { // incremental delivery: not ours
			if batch {
				wire.WriteJSON(w, http.StatusOK, resps)
			} else {
				wire.WriteJSON(w, http.StatusOK, resps[0])
			}
			return
		}
	}
	buf := bodies.Get().(*bytes.Buffer)
	defer putBody(buf)
	if batch {
		buf.WriteByte('[')
	}
	for i, r := range resps {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := appendResponse(buf, r); err != nil {
			wire.WriteJSON(w, http.StatusOK, resps) // encoding/json says what failed
			return
		}
	}
	if batch {
		buf.WriteByte(']')
	}
	buf.WriteByte('\n')
	// With its length, net/http writes an answer larger than its buffer in
	// one piece after the header, not as chunks.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// appendResponse writes r as encoding/json would: errors (when there are
// any), data, extensions (when there are any).
func appendResponse(buf *bytes.Buffer, r *graphql.Response) error {
	buf.WriteByte('{')
	if len(r.Errors) > 0 {
		errs, err := json.Marshal(r.Errors)
		if err != nil {
			return err
		}
		buf.WriteString(`"errors":`)
		buf.Write(errs)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if r.Data == nil {
		buf.WriteString("null")
	} else {
		buf.Write(r.Data)
	}
	if len(r.Extensions) > 0 {
		ext, err := json.Marshal(r.Extensions)
		if err != nil {
			return err
		}
		buf.WriteString(`,"extensions":`)
		buf.Write(ext)
	}
	buf.WriteByte('}')
	return nil
}
