package auth

import (
	"bytes"
	"io"
	"net/http"
)

// heldWriter holds an answer until the identity that admitted its request
// is confirmed current, at the answer's first byte or status: from a stale
// identity nothing passes, and the request is served again.
type heldWriter struct {
	http.ResponseWriter
	confirm func() bool
	// header is the answer's header as it was before the request was
	// served, restored when it is served again.
	header         http.Header
	checked, stale bool
}

// released confirms the identity, once, and reports whether the answer
// may pass.
func (h *heldWriter) released() bool {
	if !h.checked {
		h.checked, h.stale = true, !h.confirm()
	}
	return !h.stale
}

func (h *heldWriter) WriteHeader(status int) {
	if h.released() {
		h.ResponseWriter.WriteHeader(status)
	}
}

func (h *heldWriter) Write(p []byte) (int, error) {
	if h.released() {
		return h.ResponseWriter.Write(p)
	}
	return len(p), nil
}

// replayableBody keeps what was read of a request body, so that the
// request can be served again.
type replayableBody struct {
	io.ReadCloser
	read bytes.Buffer
}

// maxBodyHint bounds the buffer a request's Content-Length sizes up front.
const maxBodyHint = 64 << 10

func newReplayableBody(r *http.Request) *replayableBody {
	b := &replayableBody{ReadCloser: r.Body}
	if r.ContentLength > 0 {
		b.read.Grow(int(min(r.ContentLength, maxBodyHint)))
	}
	return b
}

func (b *replayableBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read.Write(p[:n])
	return n, err
}

// replay is the body again: what was read, then the rest.
func (b *replayableBody) replay() io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(&b.read, b.ReadCloser), b.ReadCloser}
}
