// Package wire writes Shopfloor's HTTP answers: JSON bodies, and errors in
// the contract's errors[] shape with extensions {code, status}, the same
// shape inside GraphQL (HTTP 200) and outside it (auth, transport).
package wire

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Extensions are an error's extensions: its code and status class.
func Extensions(code string, status int) map[string]any {
	return map[string]any{"code": code, "status": status}
}

// Body is a response body with errors and no data.
type Body struct {
	Errors gqlerror.List `json:"errors"`
}

// WriteError answers with one error of the given code, with the HTTP status
// of its class. A 503 says when to retry.
func WriteError(w http.ResponseWriter, code shopfloor.Code, message string) {
	WriteErrorStatus(w, code.Status(), code, message)
}

// WriteErrorStatus answers with one error of the given code and an HTTP
// status of its own (405, say, which has no class in the contract).
func WriteErrorStatus(w http.ResponseWriter, status int, code shopfloor.Code, message string) {
	if code == shopfloor.CodeUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	WriteJSON(w, status, Body{Errors: gqlerror.List{{Message: message, Extensions: Extensions(string(code), status)}}})
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// BearerChallenge is the WWW-Authenticate header of a 401 (RFC 6750 §3):
// "Bearer" for a request without credentials, and for one whose token was
// refused, error="invalid_token" with the refusal as error_description.
func BearerChallenge(refusal string) string {
	if refusal == "" {
		return "Bearer"
	}
	// error_description allows printable ASCII but '"' and '\'.
	desc := strings.Map(func(c rune) rune {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return -1
		}
		return c
	}, refusal)
	return `Bearer error="invalid_token", error_description="` + desc + `"`
}
