package shopfloor

import (
	"math"
	"strconv"
	"strings"
)

// Fixed-point scales of supply-chain numbers: stored as integers in these
// units and computed on in the database with integer arithmetic, which is
// exact and the same on every engine (no float money).
const (
	CentScale     = 100   // amounts and fees: cents
	UnitCostScale = 10000 // unit costs: 1/100 of a cent
	QuantityScale = 1000  // purchase-order quantities: thousandths
)

// Bounds keep every product and sum of scaled integers far inside int64.
const (
	MaxOrderQuantity = 1_000_000         // units of one purchase-order line
	MaxAmount        = 1_000_000         // currency units of a unit cost or a fee
	MaxThreshold     = 1_000_000_000_000 // currency units of an approval threshold
)

// decimals returns the digits of scale (100 → 2).
func decimals(scale int64) int {
	return len(strconv.FormatInt(scale, 10)) - 1
}

// scaled checks *f is a non-negative number of at most max with no more
// decimals than scale allows, and returns it in units of 1/scale: exactly,
// from the shortest decimal that is the float (19.99, not 19.989999…).
func (c *check) scaled(field string, f *float64, scale int64, max float64) *int64 {
	if f == nil {
		return nil
	}
	if math.IsNaN(*f) || *f < 0 {
		c.fail(field, "must be greater than or equal to 0.")
		return nil
	}
	if *f > max {
		c.fail(field, "must be at most %s.", strconv.FormatFloat(max, 'f', -1, 64))
		return nil
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(*f, 'f', -1, 64), ".")
	if len(frac) > decimals(scale) {
		c.fail(field, "must have at most %d decimal places.", decimals(scale))
		return nil
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	fr, _ := strconv.ParseInt((frac + "0000000000")[:decimals(scale)], 10, 64)
	v := w*scale + fr
	return &v
}

// Unscale turns an integer in units of 1/scale into the number it stands
// for: the float nearest to that decimal, which JSON prints as the decimal
// (6027 cents is 60.27).
func Unscale(v, scale int64) float64 {
	f, _ := strconv.ParseFloat(FormatScaled(v, scale), 64)
	return f
}

// FormatScaled writes an integer in units of 1/scale as a decimal, without
// trailing zeros: 2500 thousandths is "2.5".
func FormatScaled(v, scale int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatInt(v/scale, 10)
	if frac := v % scale; frac != 0 {
		digits := strconv.FormatInt(frac+scale, 10)[1:]
		s += "." + strings.TrimRight(digits, "0")
	}
	return sign + s
}
