package auth

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// LegacyTokenPath is Auth0's token endpoint, where ION's older importers
// post {client_id, client_secret, audience, grant_type} as JSON.
const LegacyTokenPath = "/oauth/token"

// errJSONBody refuses a JSON body that is not an object of strings.
var errJSONBody = oauthError{"invalid_request", "Malformed JSON body"}

// LegacyTokenHandler serves the token endpoint at LegacyTokenPath: a JSON
// object body is read as the form it spells, then the realm's token
// endpoint answers it, with its rules and errors. A form body works too.
func (a *Authenticator) LegacyTokenHandler() http.Handler {
	token := a.TokenHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
			token.ServeHTTP(w, r)
			return
		}
		var fields map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxTokenBody)).Decode(&fields); err != nil {
			writeOAuth(w, http.StatusBadRequest, errJSONBody)
			return
		}
		form := url.Values{}
		for name, v := range fields {
			switch v := v.(type) {
			case string:
				form.Set(name, v)
			case nil:
			default:
				writeOAuth(w, http.StatusBadRequest, errJSONBody)
				return
			}
		}
		body := form.Encode()
		r = r.Clone(r.Context())
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
		token.ServeHTTP(w, r)
	})
}
