// Package model holds the Go types the GraphQL schema binds to, beyond the
// domain types of package shopfloor: ids, connections, inputs and payloads.
package model

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
)

// MarshalID writes an id as a JSON integer, as ION does.
func MarshalID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.FormatInt(id, 10))
	})
}

// UnmarshalID reads an id given as an integer or a string of digits.
func UnmarshalID(v any) (int64, error) {
	id, err := shopfloor.ParseID(v)
	if err != nil {
		return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "%v is not a valid id.", v)
	}
	return id, nil
}
