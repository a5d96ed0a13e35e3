package shopfloor

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of inputs shared by several entities' checks; each entity's check
// names its fields' limits in one place.
const (
	MaxName         = 255  // a name: of a user, an organization, an OAuth app
	MaxURI          = 2048 // a URL to register
	MaxDomain       = 253  // a DNS name
	MaxLoginDomains = 100  // an organization's login domains
)

// check validates one entity's input and keeps the first violation, as a 422
// naming the entity, the field and the constraint.
type check struct {
	entity string
	err    *Error
}

func (c *check) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = Errorf(CodeInvalid, "%s %s "+format, append([]any{c.entity, field}, args...)...)
	}
}

// result returns the first violation, or nil.
func (c *check) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// text trims *s in place, then enforces required and the maximum length.
func (c *check) text(field string, s *string, required bool, maxLen int) {
	if s == nil {
		if required {
			c.fail(field, "is required.")
		}
		return
	}
	*s = strings.TrimSpace(*s)
	if *s == "" && required {
		c.fail(field, "is required.")
	}
	c.length(field, *s, maxLen)
}

// length enforces the maximum length of s, in characters.
func (c *check) length(field, s string, maxLen int) {
	if utf8.RuneCountInString(s) > maxLen {
		c.fail(field, "must be at most %d characters.", maxLen)
	}
}

// count checks that a list has at most maxLen entries.
func (c *check) count(field string, n, maxLen int) {
	if n > maxLen {
		c.fail(field, "must have at most %d entries.", maxLen)
	}
}

// enum upper-cases *s in place (ION accepts TODO and todo alike) and checks
// it is one of allowed.
func (c *check) enum(field string, s *string, allowed ...string) {
	if s == nil {
		return
	}
	*s = strings.ToUpper(strings.TrimSpace(*s))
	for _, a := range allowed {
		if *s == a {
			return
		}
	}
	c.fail(field, "must be one of %s.", strings.Join(allowed, ", "))
}

// positive checks *f > 0.
func (c *check) positive(field string, f *float64) {
	if f != nil && !(*f > 0) {
		c.fail(field, "must be greater than 0.")
	}
}

// nonNegative checks *f >= 0.
func (c *check) nonNegative(field string, f *float64) {
	if f != nil && !(*f >= 0) {
		c.fail(field, "must be greater than or equal to 0.")
	}
}

// Dates accepted anywhere: inside this range and nowhere else.
var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// date parses an ISO 8601 date or date-time and checks it is in range.
func (c *check) date(field string, s *string) *time.Time {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	v := strings.TrimSpace(*s)
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t, err = time.Parse(time.DateOnly, v)
	}
	if err != nil {
		c.fail(field, "must be an ISO 8601 date such as 2026-01-31.")
		return nil
	}
	if t.Before(minDate) || t.After(maxDate) {
		c.fail(field, "must be between 1900-01-01 and 9999-12-31.")
		return nil
	}
	t = t.UTC()
	return &t
}

// CheckText trims *s in place and checks its length: the 422 naming
// entity and field, or nil.
func CheckText(entity, field string, s *string, maxLen int) error {
	c := &check{entity: entity}
	c.text(field, s, false, maxLen)
	return c.result()
}
