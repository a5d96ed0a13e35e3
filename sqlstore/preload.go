package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// preload is a related row that a read of a table carries in its own
// statement when the operation selects field and the request takes
// preloads (shopfloor.Preloads): the table's joins already hold the row,
// and the request's loaders are handed it instead of reading it by a
// statement of their own.
type preload struct {
	field string // the GraphQL field of the table's entity that resolves it
	// collect returns the columns one read of orgID's rows selects for it
	// (after a comma) and what scans them.
	collect func(ctx context.Context, orgID int64) (cols string, c collector)
}

// collector gathers the preloaded rows of one statement.
type collector interface {
	dest() []any // the destinations of its columns, the same for every row
	scanned()    // records the row just scanned
	hand(shopfloor.Preloads)
}

// carried is what one read carries for the preloads its operation selects.
type carried struct {
	cols       string
	collectors []collector
	to         shopfloor.Preloads
}

// carried returns the preloads of t the operation of ctx selects, for a
// read of orgID's rows.
func (t *table[T]) carried(ctx context.Context, orgID int64) carried {
	if len(t.preloads) == 0 {
		return carried{}
	}
	c := carried{to: shopfloor.PreloadsFrom(ctx)}
	sel := shopfloor.SelectionFrom(ctx)
	if c.to == nil || sel == nil {
		return c
	}
	for _, p := range t.preloads {
		if sel.Selects(t.entity, p.field) {
			cols, col := p.collect(ctx, orgID)
			c.cols += ", " + cols
			c.collectors = append(c.collectors, col)
		}
	}
	return c
}

func (c carried) dest() []any {
	var dest []any
	for _, col := range c.collectors {
		dest = append(dest, col.dest()...)
	}
	return dest
}

func (c carried) scanned() {
	for _, col := range c.collectors {
		col.scanned()
	}
}

func (c carried) hand() {
	for _, col := range c.collectors {
		col.hand(c.to)
	}
}

// locationAt preloads the location of a row whose table looks it up as l
// (lookup{"locations", "l", ...}): kept when it is live and of the
// organization, else none. The lookup itself leaves both to this check: an
// organization or deletion condition in it would have the planner find the
// row through a different index than its key.
var locationAt = preload{
	field: "location",
	collect: func(ctx context.Context, orgID int64) (string, collector) {
		c := &locationRows{org: orgID, byKey: make(map[int64]*shopfloor.Location)}
		c.dests = append([]any{orZero[bool]{&c.live}}, orZeros(locations.dest(&c.loc))...)
		return "l.deleted_at IS NULL, " + locations.selectList(ctx), c
	},
}

// locationRows collects preloaded locations by the ids that named them.
type locationRows struct {
	org   int64
	live  bool
	loc   shopfloor.Location // ID 0: the row names no location
	dests []any
	byKey map[int64]*shopfloor.Location
}

func (c *locationRows) dest() []any { return c.dests }

func (c *locationRows) scanned() {
	switch {
	case c.loc.ID == 0:
	case !c.live || c.loc.OrgID != c.org: // no live location of the organization has the id
		c.byKey[c.loc.ID] = nil
	default:
		loc := c.loc
		c.byKey[loc.ID] = &loc
	}
}

func (c *locationRows) hand(p shopfloor.Preloads) {
	if len(c.byKey) > 0 {
		p.Locations(c.byKey)
	}
}

// orZeros makes the destinations that cannot hold NULL scan it as their
// zero: the columns of a left-joined row that is not there.
func orZeros(dest []any) []any {
	for i, d := range dest {
		switch d := d.(type) {
		case *int64:
			dest[i] = orZero[int64]{d}
		case *string:
			dest[i] = orZero[string]{d}
		case *bool:
			dest[i] = orZero[bool]{d}
		case *float64:
			dest[i] = orZero[float64]{d}
		}
	}
	return dest
}

// orZero scans NULL into a destination without one as its zero.
type orZero[T any] struct{ p *T }

func (z orZero[T]) Scan(src any) error {
	var v sql.Null[T]
	if err := v.Scan(src); err != nil {
		return err
	}
	*z.p = v.V
	return nil
}
