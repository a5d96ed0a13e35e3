package playground

import (
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"testing"
)

// serve answers one GET through Handler as the server's routes mount it.
func serve(t *testing.T, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	page := Handler(http.NotFoundHandler())
	mux.Handle("GET /playground", page)
	mux.Handle("GET /playground/{file}", page)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for name, values := range header {
		req.Header[name] = values
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

// Every file of the bundle, and the page, is served with its type, the
// strict policy and its ETag; the page names only files of the bundle.
func TestBundleServed(t *testing.T) {
	t.Parallel()
	if len(files) < 5 {
		t.Fatalf("the bundle holds %d files", len(files))
	}
	for name := range files {
		rec := serve(t, "/playground/"+name, nil)
		h := rec.Header()
		if rec.Code != http.StatusOK || h.Get("Content-Type") == "" || h.Get("Content-Type") != contentTypes[path.Ext(name)] ||
			h.Get("Content-Security-Policy") != Policy || h.Get("X-Frame-Options") != "DENY" || h.Get("ETag") != files[name].etag {
			t.Errorf("%s: %d %v", name, rec.Code, h)
		}
		if again := serve(t, "/playground/"+name, http.Header{"If-None-Match": {files[name].etag}}); again.Code != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", name, again.Code)
		}
	}
	page := serve(t, "/playground", nil)
	if page.Code != http.StatusOK || page.Body.String() != string(files["index.html"].contents) {
		t.Fatalf("page: %d", page.Code)
	}
	links := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page.Body.String(), -1)
	if len(links) == 0 {
		t.Fatal("the page links nothing")
	}
	for _, link := range links {
		if rec := serve(t, link[1], nil); rec.Code != http.StatusOK {
			t.Errorf("the page links %s: %d", link[1], rec.Code)
		}
	}
	if rec := serve(t, "/playground/nothing.js", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown file: %d", rec.Code)
	}
}
