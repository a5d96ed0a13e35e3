package graph

import (
	"bytes"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// The leaves of fields bound to a value the object holds, when that value is
// a string, an int, an id or a boolean (bound_fields.go rewrites the
// generated fields into them). gqlgen's MarshalString, MarshalInt and
// model.MarshalID return a closure over the value, one allocation per field
// of every object; these are pointer-shaped, so storing one as a Marshaler
// allocates nothing, and they read the value from the object when the answer
// is written. Objects are not changed once loaded, so that is the value the
// field resolved to.
type (
	stringAt struct{ p *string }
	intAt    struct{ p *int }
	int64At  struct{ p *int64 }
)

// floatAt is a Float field's value, which is finite: gqlgen's
// MarshalFloatContext writes one as %g (the shortest form), after a check
// that makes NaN and the infinities errors, in a closure wrapped in another
// that carries the field's context for that error. A field whose value is
// not finite goes that way still (bound_fields.go).
type floatAt struct{ p *float64 }

func (f floatAt) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Write(strconv.AppendFloat(b.AvailableBuffer(), *f.p, 'g', -1, 64))
		return
	}
	io.WriteString(w, strconv.FormatFloat(*f.p, 'g', -1, 64))
}

// finite is whether f is neither NaN nor infinite.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func (s stringAt) MarshalGQL(w io.Writer) { writeString(w, *s.p) }
func (n intAt) MarshalGQL(w io.Writer)    { model.WriteInt(w, int64(*n.p)) }
func (n int64At) MarshalGQL(w io.Writer)  { model.WriteInt(w, *n.p) }

// writeString writes s quoted, as graphql.MarshalString does: into the data
// buffer whole when nothing in it needs escaping (a quote, a backslash, a
// control character), else through gqlgen, which escapes.
func writeString(w io.Writer, s string) {
	b, ok := w.(*bytes.Buffer)
	if !ok || needsEscape(s) {
		graphql.MarshalString(s).MarshalGQL(w)
		return
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// needsEscape is whether s holds a byte a JSON string escapes. Bytes of
// multi-byte UTF-8 characters are all 0x80 or above, so a byte scan finds
// what gqlgen's scan of characters does.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '\\' || c == '"' {
			return true
		}
	}
	return false
}

// boolean is graphql.MarshalBoolean without its allocation.
func boolean(b bool) graphql.Marshaler {
	if b {
		return graphql.True
	}
	return graphql.False
}
