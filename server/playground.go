package server

import (
	"net/http"
)

// playgroundPage stands where the GraphiQL playground will be.
const playgroundPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shopfloor</title></head>
<body style="font-family: sans-serif; max-width: 44rem; margin: 3rem auto">
<h1>Shopfloor</h1>
<p>The GraphQL endpoint is <code>POST /graphql</code>; the playground comes in a later release.
Get a token at <code>POST /realms/api-keys/protocol/openid-connect/token</code>
(<code>grant_type=client_credentials</code>) with an API key from <code>demo-credentials.json</code>,
or from <code>shopfloor token --email EMAIL</code>.</p>
</body></html>
`

// playgroundPolicy lets the page use its own inline style and nothing else,
// and no other site frame it.
const playgroundPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func playground() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", playgroundPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		w.Write([]byte(playgroundPage))
	})
}
