package graph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// bodies are the buffers answers are written into, reused across requests.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 1 << 20

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
	defer func() {
		if buf.Cap() <= maxPooledBody { // a rare huge answer is not kept
			buf.Reset()
			bodies.Put(buf)
		}
	}()
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
	w.Header().Set("Content-Type", "application/json")
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
