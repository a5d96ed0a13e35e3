package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/blobstore"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// Transport are the limits on reading a request.
type Transport struct {
	// BodyTimeout is the deadline of a whole request body, from the end of
	// its headers; BodyIdleTimeout the longest pause while it arrives.
	BodyTimeout, BodyIdleTimeout time.Duration
	// UploadTimeout replaces BodyTimeout for a file's PUT (blobstore.Path).
	UploadTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers. http.Server must
	// read up to ReadHeaderBytes of them, so that a request over the limit
	// reaches the server and is answered in the contract's shape.
	MaxHeaderBytes int
	// MetricsElsewhere says /metrics has a listener of its own; otherwise
	// it is served here, to loopback connections only.
	MetricsElsewhere bool
}

// The defaults of Transport.
const (
	DefaultBodyTimeout     = 30 * time.Second
	DefaultBodyIdleTimeout = 10 * time.Second
	DefaultUploadTimeout   = time.Hour
	DefaultMaxHeaderBytes  = 64 << 10
)

// ReadHeaderBytes is the http.Server.MaxHeaderBytes for a header limit: a
// MiB more, so that what is over the limit is answered in errors[] (Go's
// server answers what is over its own limit with a plain-text 431).
func ReadHeaderBytes(limit int) int { return limit + 1<<20 }

func (t *Transport) withDefaults() {
	if t.BodyTimeout <= 0 {
		t.BodyTimeout = DefaultBodyTimeout
	}
	if t.UploadTimeout <= 0 {
		t.UploadTimeout = DefaultUploadTimeout
	}
	if t.BodyIdleTimeout <= 0 {
		t.BodyIdleTimeout = DefaultBodyIdleTimeout
	}
	if t.MaxHeaderBytes <= 0 {
		t.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
}

// limitHeaders answers a request whose request line and headers exceed
// the limit with a 431 in the contract's shape.
func (s *Server) limitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headerBytes(r) > s.transport.MaxHeaderBytes {
			w.Header().Set("Connection", "close")
			wire.WriteErrorStatus(w, http.StatusRequestHeaderFieldsTooLarge, shopfloor.CodeBadRequest,
				"Malformed request: the headers are larger than "+byteSize(s.transport.MaxHeaderBytes)+".")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerBytes is the size of r's request line and headers on the wire.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + len("  \r\n") + len("Host: \r\n") + len(r.Host)
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + len(v) + len(": \r\n")
		}
	}
	return n
}

// byteSize prints n bytes in the largest binary unit that divides it.
func byteSize(n int) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitBody puts a deadline on reading the request body (BodyTimeout from
// now) and on each pause in it (BodyIdleTimeout). A body that misses
// either is answered 408 in the contract's shape, whatever the handler
// then writes, and the connection is closed. Once the body has ended, the
// deadlines are left alone: Go's server lifts them at its end, and a read
// deadline that passed then would cancel the running request.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		timeout := s.transport.BodyTimeout
		if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, blobstore.Path) {
			timeout = s.transport.UploadTimeout
		}
		aw := &answeredWriter{ResponseWriter: w}
		b := &deadlineBody{ReadCloser: r.Body, ctl: http.NewResponseController(w), transport: &s.transport,
			timeout: timeout, deadline: time.Now().Add(timeout), w: aw}
		b.arm() // a body the handler leaves unread is read under it too, before the answer
		r.Body = b
		next.ServeHTTP(aw, r)
	})
}

// deadlineBody is a request body read under deadlines.
type deadlineBody struct {
	io.ReadCloser
	ctl       *http.ResponseController
	transport *Transport
	timeout   time.Duration // of the whole body
	deadline  time.Time
	w         *answeredWriter
	ended     bool // the body has ended, with EOF or an error
}

// arm sets the connection's read deadline: the pause allowed from now,
// within the body's deadline.
func (b *deadlineBody) arm() {
	deadline := time.Now().Add(b.transport.BodyIdleTimeout)
	if deadline.After(b.deadline) {
		deadline = b.deadline
	}
	b.ctl.SetReadDeadline(deadline)
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.ended {
		return b.ReadCloser.Read(p)
	}
	b.arm()
	n, err := b.ReadCloser.Read(p)
	b.ended = err != nil
	if netErr, ok := errors.AsType[net.Error](err); ok && netErr.Timeout() {
		msg := "Request timeout: the body did not arrive within " + b.timeout.String() + "."
		if time.Now().Before(b.deadline) {
			msg = "Request timeout: the body paused for more than " + b.transport.BodyIdleTimeout.String() + "."
		}
		b.w.answer(msg)
	}
	return n, err
}

// answeredWriter is a ResponseWriter that may be answered under the
// handler's feet: what the handler writes afterwards is dropped.
type answeredWriter struct {
	http.ResponseWriter
	answered, wrote bool
}

// answer writes the 408 of a body that did not arrive in time, unless the
// handler has begun its own answer.
func (w *answeredWriter) answer(msg string) {
	if w.answered || w.wrote {
		return
	}
	w.answered = true
	w.ResponseWriter.Header().Set("Connection", "close")
	wire.WriteErrorStatus(w.ResponseWriter, http.StatusRequestTimeout, shopfloor.CodeBadRequest, msg)
}

func (w *answeredWriter) WriteHeader(status int) {
	if !w.answered {
		w.wrote = true
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *answeredWriter) Write(p []byte) (int, error) {
	if w.answered {
		return len(p), nil
	}
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

func (w *answeredWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
