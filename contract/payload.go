package contract

import (
	"encoding/json"
	"strings"
)

// Error is one error as an answer carries it.
type Error struct {
	Status     int            // HTTP status of the answer; 0 when unknown
	Message    string         // message, or an OAuth error's error_description
	Extensions map[string]any // extensions, as JSON decodes them
}

// Rows classifies e.
func (e Error) Rows() []Row { return Classify(e.Status, e.Message, e.Extensions) }

type payloadEntry struct {
	Message     string         `json:"message"`
	Extensions  map[string]any `json:"extensions"`
	Errors      []payloadEntry `json:"errors"`
	OAuthError  string         `json:"error"`
	Description string         `json:"error_description"`
}

// Errors reads the errors of a payload as a person pastes it: a response body
// ({"errors": [...]}), a batch of them, one errors[] entry or a list of them,
// an OAuth error ({"error", "error_description"}); anything else is one
// message. httpStatus is the answer's status, when known.
func Errors(httpStatus int, payload string) []Error {
	payload = strings.TrimSpace(payload)
	var entries []payloadEntry
	if err := json.Unmarshal([]byte(payload), &entries); err != nil {
		var one payloadEntry
		if json.Unmarshal([]byte(payload), &one) != nil {
			return []Error{{Status: httpStatus, Message: payload}}
		}
		entries = []payloadEntry{one}
	}
	var out []Error
	var add func([]payloadEntry)
	add = func(entries []payloadEntry) {
		for _, e := range entries {
			switch {
			case len(e.Errors) > 0:
				add(e.Errors)
			case e.Message != "":
				out = append(out, Error{httpStatus, e.Message, e.Extensions})
			case e.Description != "" || e.OAuthError != "":
				out = append(out, Error{httpStatus, e.Description, nil})
			}
		}
	}
	add(entries)
	if len(out) == 0 {
		return []Error{{Status: httpStatus, Message: payload}}
	}
	return out
}
