package server

import (
	"net/http"

	"github.com/shopfloor-dev/shopfloor/internal/playground"
)

// playgroundRoutes serves the GraphiQL playground: the page and its bundled
// files, nothing from any other host.
func playgroundRoutes(mux *http.ServeMux) {
	page := playground.Handler(notFound())
	mux.Handle("GET /playground", page)
	mux.Handle("GET /playground/{file}", page)
}
