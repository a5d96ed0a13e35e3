package auth

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An answer passes a heldWriter only when the identity is confirmed, once,
// at its first status or byte; a held request's body replays whole.
func TestHeldAnswer(t *testing.T) {
	for _, current := range []bool{true, false} {
		rec := httptest.NewRecorder()
		rec.Header().Set("X-Before", "kept")
		confirms := 0
		held := &heldWriter{ResponseWriter: rec, confirm: func() bool { confirms++; return current }, header: rec.Header().Clone()}
		body := newReplayableBody(httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { id } }"}`)))
		prefix := make([]byte, 10)
		if _, err := io.ReadFull(body, prefix); err != nil {
			t.Fatal(err)
		}
		held.Header().Set("X-Rate", "1")
		held.WriteHeader(http.StatusCreated)
		if n, err := held.Write([]byte("answer")); n != 6 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
		if confirms != 1 || held.released() != current || confirms != 1 {
			t.Errorf("current %v: %d confirmations, released %v", current, confirms, held.released())
		}
		if passed := rec.Code == http.StatusCreated && rec.Body.String() == "answer"; passed != current {
			t.Errorf("current %v: the answer passed: %d %q", current, rec.Code, rec.Body)
		}
		if again, _ := io.ReadAll(body.replay()); string(again) != `{"query":"{ me { id } }"}` {
			t.Errorf("replayed body %q", again)
		}
		if held.header.Get("X-Before") != "kept" || held.header.Get("X-Rate") != "" {
			t.Errorf("the header before serving: %v", held.header)
		}
	}
}
