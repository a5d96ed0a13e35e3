package server

import (
	"bytes"
	"net/http"
	"time"

	"github.com/shopfloor-dev/shopfloor/contract"
)

// contractDocument serves the error contract's table (contract.Document) to
// anyone: it holds no secret, and browsers cache it by its version.
func contractDocument() http.Handler {
	etag := `"` + contract.Version + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("ETag", etag)
		h.Set("Access-Control-Allow-Origin", "*")
		http.ServeContent(w, r, "contract.json", time.Time{}, bytes.NewReader(contract.JSON))
	})
}
