package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph"
	"github.com/shopfloor-dev/shopfloor/wire"
)

// IdempotencyHeader carries a client's idempotency key, as in Stripe's API.
const IdempotencyHeader = "Idempotency-Key"

// ReplayedHeader marks an answer replayed for an idempotency key.
const ReplayedHeader = "Idempotent-Replayed"

// DefaultIdempotencyTTL is how long an idempotency key is kept.
const DefaultIdempotencyTTL = 24 * time.Hour

// maxKeyLength bounds an idempotency key.
const maxKeyLength = 255

// Idempotent makes the requests that carry an Idempotency-Key safe to
// retry: the first one with a key runs next and its whole HTTP answer
// (status, headers, body) is kept for ttl; a retry with the same key and
// body gets that answer again and runs nothing. Keys belong to the
// principal of the context and its organization. Answers that wrote
// nothing (429, 5xx) are not kept, so their retry runs. A ttl of 0 turns
// keys off.
func Idempotent(keys shopfloor.IdempotencyService, ttl time.Duration, logger *slog.Logger, next http.Handler) http.Handler {
	if ttl <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(IdempotencyHeader)
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > maxKeyLength || !printable(key) {
			wire.WriteError(w, shopfloor.CodeBadRequest, "Malformed request: Idempotency-Key must be 1 to 255 printable ASCII characters, without spaces.")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, graph.MaxBodyBytes))
		if err != nil { // next answers the body's fault
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), failingReader{err}))
			next.ServeHTTP(w, r)
			return
		}
		hash := sha256.Sum256(body)
		first, err := keys.ClaimIdempotencyKey(r.Context(), key, hex.EncodeToString(hash[:]), ttl)
		switch {
		case err != nil:
			if shopfloor.ErrorCode(err) == shopfloor.CodeConflict {
				w.Header().Set("Retry-After", "1")
			}
			if shopfloor.ErrorCode(err) == shopfloor.CodeInternal {
				logger.ErrorContext(r.Context(), "idempotency key", "request_id", shopfloor.RequestID(r.Context()), "error", err)
			}
			wire.WriteError(w, shopfloor.ErrorCode(err), shopfloor.ErrorMessage(err))
			return
		case first != nil:
			w.Header().Set(ReplayedHeader, "true")
			writeAnswer(w, *first)
			return
		}

		// This request holds the key: run it, keep its answer, then send it.
		ctx := context.WithoutCancel(r.Context())
		kept := false
		defer func() { // also when next panics
			if !kept {
				if err := keys.ReleaseIdempotencyKey(ctx, key); err != nil {
					logger.ErrorContext(ctx, "idempotency key not released", "request_id", shopfloor.RequestID(ctx), "error", err)
				}
			}
		}()
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &answerRecorder{answer: shopfloor.IdempotentAnswer{Status: http.StatusOK, Header: http.Header{}}}
		next.ServeHTTP(rec, r)
		if rec.answer.Status < 500 && rec.answer.Status != http.StatusTooManyRequests {
			if err := keys.SaveIdempotentAnswer(ctx, key, rec.answer); err != nil {
				logger.ErrorContext(ctx, "idempotent answer not kept", "request_id", shopfloor.RequestID(ctx), "error", err)
			}
			kept = true // kept, or lost to a failing database: a retry is then told 409 until the key expires, never run twice
		}
		writeAnswer(w, rec.answer)
	})
}

// writeAnswer sends a recorded answer.
func writeAnswer(w http.ResponseWriter, a shopfloor.IdempotentAnswer) {
	for name, values := range a.Header {
		w.Header()[name] = values
	}
	w.WriteHeader(a.Status)
	w.Write(a.Body)
}

// answerRecorder captures a whole answer instead of sending it.
type answerRecorder struct {
	answer      shopfloor.IdempotentAnswer
	wroteHeader bool
}

func (a *answerRecorder) Header() http.Header { return a.answer.Header }

func (a *answerRecorder) WriteHeader(status int) {
	if !a.wroteHeader {
		a.answer.Status, a.wroteHeader = status, true
	}
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	a.wroteHeader = true
	a.answer.Body = append(a.answer.Body, b...)
	return len(b), nil
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
