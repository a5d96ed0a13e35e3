package graph

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// A finite Float is written as gqlgen writes it, into the data buffer or
// any other writer; NaN and the infinities are not finite.
func TestFloatLeaf(t *testing.T) {
	t.Parallel()
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 3, 0.1, 12.75, 1e20, 1e21, 123456789, 1e-4, 1e-5, 1e-7, 2.5e300, math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3} {
		var want bytes.Buffer
		if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil {
			t.Fatal(err)
		}
		writesAs(t, floatAt{&f}, want.String())
		if !finite(f) {
			t.Errorf("%v is not finite", f)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if finite(f) {
			t.Errorf("%v is finite", f)
		}
	}
}

// A string is written as gqlgen writes it, escaped or not, into the data
// buffer or any other writer.
func TestStringLeaf(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "Step 199", `a "quoted" \ word`, "tab\there\nline\r", "\x00\x1f\x7f", "ünïcødé ✓ 日本", "bad \xff\xfe utf-8", "</script>"} {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		writesAs(t, stringAt{&s}, want.String())
	}
}

// writesAs checks that m writes want into the data buffer and into any
// other writer.
func writesAs(t *testing.T, m graphql.Marshaler, want string) {
	t.Helper()
	var buf bytes.Buffer
	var other strings.Builder
	m.MarshalGQL(&buf)
	m.MarshalGQL(&other)
	if buf.String() != want || other.String() != want {
		t.Errorf("wrote %s and %s, gqlgen %s", buf.String(), other.String(), want)
	}
}
