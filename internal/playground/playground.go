// Package playground serves the GraphiQL playground at /playground: the
// bundle in dist/, which build.mjs builds from src/ and package-lock.json
// and which is committed, so serving it needs no Node.js.
package playground

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed dist
var dist embed.FS

// Policy is the Content-Security-Policy of the page and its files: scripts,
// workers, styles, fonts, images and requests from this server only (the
// build turns the stylesheets' data: URLs into files), nothing framing it.
// Two allowances, the least the editor runs under: styles 'unsafe-inline',
// as Monaco writes <style> elements at run time (dom.createStyleSheet, which
// takes no nonce) and it and GraphiQL set style attributes; images data:,
// as Monaco's theme draws its error squiggles as data: SVGs from script.
// No script runs inline or from anywhere else.
const Policy = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// contentTypes are the types of the bundle's files, by extension (not
// from the host's mime.types, which may lack fonts).
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".ttf":   "font/ttf",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".png":   "image/png",
	".svg":   "image/svg+xml",
}

// file is one file of the bundle with the ETag of its contents.
type file struct {
	contents []byte
	etag     string
}

var files = load()

// load reads the bundle once, hashing each file for its ETag.
func load() map[string]file {
	entries, err := fs.ReadDir(dist, "dist")
	if err != nil {
		panic(err)
	}
	loaded := make(map[string]file, len(entries))
	for _, e := range entries {
		contents, err := fs.ReadFile(dist, path.Join("dist", e.Name()))
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(contents)
		loaded[e.Name()] = file{contents: contents, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	}
	return loaded
}

// Handler serves the page at /playground and its files at
// /playground/{file}; a name outside the bundle is answered by notFound.
// Browsers revalidate each file by its ETag (no-cache), so a new release
// is picked up at once and an unchanged file is a 304.
func Handler(notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "" {
			name = "index.html"
		}
		f, ok := files[name]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentTypes[path.Ext(name)])
		h.Set("Content-Security-Policy", Policy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.contents))
	})
}
