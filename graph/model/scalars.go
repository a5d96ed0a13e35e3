// Package model holds the Go types the GraphQL schema binds to, beyond the
// domain types of package shopfloor: ids, connections, inputs and payloads.
package model

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
)

// MarshalID writes an id as a JSON integer, as ION does.
func MarshalID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { WriteInt(w, id) })
}

// WriteInt writes n in decimal; into a bytes.Buffer (an answer's data)
// without allocating its digits.
func WriteInt(w io.Writer, n int64) {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Write(strconv.AppendInt(b.AvailableBuffer(), n, 10))
		return
	}
	io.WriteString(w, strconv.FormatInt(n, 10))
}

// UnmarshalID reads an id given as an integer or a string of digits.
func UnmarshalID(v any) (int64, error) {
	id, err := shopfloor.ParseID(v)
	if err != nil {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "%v is not a valid id.", v)
	}
	return id, nil
}

// MarshalJSON writes a JSON scalar compactly (gqlgen's MarshalAny ends each
// value with the newline of json.Encoder, which then sits inside the
// answer). The values are decoded JSON, so encoding them cannot fail; if it
// did, the field would read null.
func MarshalJSON(v any) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte("null")
		}
		w.Write(b)
	})
}

// UnmarshalJSON takes a JSON scalar as the request gives it.
func UnmarshalJSON(v any) (any, error) { return v, nil }
