package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/shopfloor-dev/shopfloor"
)

// MaxBodyBytes bounds a GraphQL request body.
const MaxBodyBytes = 1 << 20

// MaxQueryBytes bounds one query document; its parser stops after
// maxQueryTokens tokens.
const (
	MaxQueryBytes  = 256 << 10
	maxQueryTokens = 100_000
)

// DefaultMaxBatch is the most operations one batched request may hold.
const DefaultMaxBatch = 50

// Request is the JSON body of a GraphQL request, or one element of a batch.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
	Extensions    map[string]any `json:"extensions"`
}

// decodeBody reads a GraphQL body: one request object, or a batch (a JSON
// array of them, answered with an array). It must be exactly one JSON value.
// The error is the 400 that answers a body that is none of these.
func decodeBody(w http.ResponseWriter, r *http.Request, maxBatch int) (reqs []Request, batch bool, err error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		return nil, false, malformed("the body is larger than 1 MiB")
	} else if err != nil {
		return nil, false, malformed("the body could not be read")
	}
	batch = bytes.HasPrefix(bytes.TrimLeft(raw, " \t\r\n"), []byte("["))
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if batch {
		err = dec.Decode(&reqs)
	} else {
		reqs = make([]Request, 1)
		err = dec.Decode(&reqs[0])
	}
	if err != nil {
		return nil, false, malformed("the body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, malformed("the body holds more than one JSON value")
	}
	switch {
	case batch && len(reqs) == 0:
		return nil, false, malformed("the batch is empty")
	case len(reqs) > maxBatch:
		return nil, false, malformed(fmt.Sprintf("the batch holds %d operations; at most %d are allowed", len(reqs), maxBatch))
	}
	for i, req := range reqs {
		switch {
		case req.Query == "" && batch:
			return nil, false, malformed(fmt.Sprintf("the batch's element at index %d has no query", i))
		case req.Query == "":
			return nil, false, malformed("the body has no query")
		case len(req.Query) > MaxQueryBytes:
			return nil, false, malformed("the query is larger than 256 KiB")
		}
	}
	return reqs, batch, nil
}

func malformed(why string) error {
	return shopfloor.Errorf(shopfloor.CodeBadRequest, "Malformed request: %s.", why)
}
