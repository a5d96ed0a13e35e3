package contract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Document is the table as GET /contract.json serves it, for clients (a
// browser, the playground) that classify errors as Classify does without a
// second copy of the table.
type Document struct {
	Version         string         `json:"version"` // changes whenever the table does; the answer's ETag
	Rows            []Row          `json:"rows"`
	Troubleshooting Row            `json:"troubleshooting"`
	Codes           map[string]int `json:"codes"` // extensions.code → status class
}

// JSON is the Document, encoded once, and Version its version.
var JSON, Version = encode()

func encode() ([]byte, string) {
	doc := Document{Rows: Rows, Troubleshooting: Troubleshooting, Codes: CodeStatus}
	body, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(body)
	doc.Version = hex.EncodeToString(sum[:8])
	body, _ = json.Marshal(doc)
	return body, doc.Version
}
