package shopfloor

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
)

// Limits of list filters, the same on every engine (a longer list or
// pattern is a 422 naming the limit).
const (
	MaxFilterValues = 1000 // values of one in filter
	MaxPattern      = 2048 // characters of one ilike pattern
)

// ListOptions are the arguments of an ION list query:
// things(filters:, sort:, first, after, last, before).
type ListOptions struct {
	// Filters is ION's filter input, {field: {eq|neq|in|ilike: value}},
	// with every field AND-ed. Field names are the GraphQL ones. An ilike
	// pattern is ION's (PostgreSQL's): % matches any run of characters, _
	// any one, \ makes the next character literal, and case is ignored
	// throughout Unicode.
	Filters map[string]any
	// Sort lists sort keys such as "PART_NUMBER_ASC", applied in order.
	Sort   []string
	First  *int
	Last   *int
	After  *string
	Before *string
	// MaxPage bounds first and last, and is the page size of a list asked
	// for without either. Zero means no bound.
	MaxPage int
}

// Page is one page of a list: the items and where they stand in the whole.
type Page[T any] struct {
	Items  []T
	Offset int // position of Items[0] among all matches
	// TotalCount is the number of all matches; -1 when the operation does
	// not select totalCount, which then is not counted.
	TotalCount int
	// More tells, when TotalCount is not counted, whether matches follow.
	More bool
}

// HasNextPage reports whether matches follow this page.
func (p *Page[T]) HasNextPage() bool {
	if p.TotalCount < 0 {
		return p.More
	}
	return p.Offset+len(p.Items) < p.TotalCount
}

// HasPreviousPage reports whether matches precede this page.
func (p *Page[T]) HasPreviousPage() bool { return p.Offset > 0 }

// Window is the slice of all matches a page covers. Limit < 0 means no limit.
type Window struct {
	Offset, Limit int
	// NeedsTotal is set when the window can only be placed once the total
	// number of matches is known (last without before); Place does it.
	NeedsTotal bool
	last       int
}

// cursorPrefix makes cursors graphene's: base64("arrayconnection:<offset>").
const cursorPrefix = "arrayconnection:"

// EncodeCursor returns the opaque cursor of the item at offset.
func EncodeCursor(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

// DecodeCursor returns the offset a cursor names.
func DecodeCursor(arg, cursor string) (int, error) {
	raw, err := base64.StdEncoding.DecodeString(cursor)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), cursorPrefix); ok {
			if off, err := strconv.Atoi(n); err == nil && off >= 0 {
				return off, nil
			}
		}
	}
	return 0, Errorf(CodeInvalid, "Argument %s is not a valid cursor.", arg)
}

// Window resolves first/after/last/before to a window over the matches,
// following the Relay connection algorithm.
func (o ListOptions) Window() (Window, error) {
	start, end := 0, -1 // end < 0: unbounded
	if o.After != nil {
		off, err := DecodeCursor("after", *o.After)
		if err != nil {
			return Window{}, err
		}
		start = off + 1
	}
	if o.Before != nil {
		off, err := DecodeCursor("before", *o.Before)
		if err != nil {
			return Window{}, err
		}
		end = max(off, start)
	}
	for _, arg := range []struct {
		name string
		n    *int
	}{{"first", o.First}, {"last", o.Last}} {
		if arg.n != nil && o.MaxPage > 0 && *arg.n > o.MaxPage {
			return Window{}, Errorf(CodeInvalid, "Argument %s must be at most %d.", arg.name, o.MaxPage)
		}
	}
	if o.First == nil && o.Last == nil && o.MaxPage > 0 {
		o.First = &o.MaxPage
	}
	if o.First != nil {
		if *o.First < 0 {
			return Window{}, Errorf(CodeInvalid, "Argument first must be greater than or equal to 0.")
		}
		if end < 0 || start+*o.First < end {
			end = start + *o.First
		}
	}
	w := Window{Offset: start, Limit: -1}
	if o.Last != nil {
		if *o.Last < 0 {
			return Window{}, Errorf(CodeInvalid, "Argument last must be greater than or equal to 0.")
		}
		if end < 0 {
			w.NeedsTotal, w.last = true, *o.Last
			return w, nil
		}
		start = max(start, end-*o.Last)
	}
	w.Offset = start
	if end >= 0 {
		w.Limit = end - start
	}
	return w, nil
}

// Place fixes a window that NeedsTotal, given the number of all matches.
func (w Window) Place(total int) Window {
	if !w.NeedsTotal {
		return w
	}
	start := max(w.Offset, total-w.last)
	return Window{Offset: start, Limit: total - start}
}

// RowCounter counts the rows a list can touch: per entity ("Part"), the
// live rows of the caller's organization.
type RowCounter interface {
	RowCounts(ctx context.Context) (map[string]int, error)
}
