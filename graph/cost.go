package graph

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/singleflight"
)

// nestedListItems is what a plain list field (a relation such as
// partInventories) is assumed to hold when its cost is estimated.
const nestedListItems = 10

// asBuiltLevels are the list fields of the as-built tree, which the store
// reads whole (a unit's requirements with every level under them, in one
// statement): below the first of them, each costs as one item, as a tree's
// next level does.
var asBuiltLevels = map[string]bool{
	"PartInventory.buildRequirements": true, "BuildRequirement.partInventories": true,
	"BuildRequirement.abomInstallations": true, "BuildRequirement.installations": true,
}

// rowsPerCostUnit is how many rows a list that may touch them costs 1 for:
// every list counts its matches (its filters run over every live row of
// the organization), whatever page it asks for, first: 0 included.
const rowsPerCostUnit = 100

// costModel estimates what an operation costs and how deep it is.
type costModel struct {
	vars    map[string]any
	maxPage int
	// rows are the live rows of the caller's organization per entity
	// ("Part"): what a list of them can touch.
	rows map[string]int
	// inAsBuilt holds below a field of asBuiltLevels.
	inAsBuilt bool
}

// introspectionCost is what one __schema or __type field costs. Its
// selection is exempt from the cost and depth of data fields: GraphQL's
// MaxIntrospectionDepth rule bounds how deep its lists nest, and
// MaxIntrospectionFields how many an operation may hold.
const introspectionCost = 100

// shape is what an operation asks for: its estimated cost, the depth of its
// data fields, and how many introspection fields (__schema, __type) it has.
type shape struct {
	cost, depth, introspections int
}

// measureOperation returns the shape of an operation's selection set.
func (m costModel) measureOperation(set ast.SelectionSet) shape {
	s := shape{introspections: countIntrospections(set)}
	s.cost, s.depth = m.measure(set, 0)
	return s
}

// countIntrospections counts the __schema and __type fields of a root
// selection set, fragments included.
func countIntrospections(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if isIntrospection(s) {
				n++
			}
		case *ast.InlineFragment:
			n += countIntrospections(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += countIntrospections(s.Definition.SelectionSet)
			}
		}
	}
	return n
}

func isIntrospection(f *ast.Field) bool { return f.Name == "__schema" || f.Name == "__type" }

// measure returns the estimated cost and the depth of a selection set. Every
// field costs 1. A connection's page size (first or last, else the maximum
// page size) multiplies the cost of its edges, not of its pageInfo, and a
// connection adds the rows it can touch over rowsPerCostUnit; any other
// list, and a connection below the root asked for without first or last,
// multiplies its selection by nestedListItems, but a list of the type that
// holds it (a tree's next level, read with the level above) by 1. page is the page size
// of the connection the set belongs to (0 outside one).
func (m costModel) measure(set ast.SelectionSet, page int) (cost, depth int) {
	for _, sel := range set {
		var c, d int
		switch s := sel.(type) {
		case *ast.Field:
			c, d = m.measureField(s, page)
		case *ast.InlineFragment:
			c, d = m.measure(s.SelectionSet, page)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				c, d = m.measure(s.Definition.SelectionSet, page)
			}
		}
		cost += c
		depth = max(depth, d)
	}
	return cost, depth
}

func (m costModel) measureField(f *ast.Field, page int) (cost, depth int) {
	if isIntrospection(f) {
		return introspectionCost, 1
	}
	if f.Definition == nil || strings.HasPrefix(f.Name, "__") {
		c, d := m.measure(f.SelectionSet, 0)
		return 1 + c, 1 + d
	}
	items, childPage, scan := 1, 0, 0
	switch typeName := f.Definition.Type.Name(); {
	case strings.HasSuffix(typeName, "Connection"):
		childPage = pageSize(f, m.vars, m.maxPage)
		if f.ObjectDefinition != nil && f.ObjectDefinition.Name != "Query" && f.Arguments.ForName("first") == nil && f.Arguments.ForName("last") == nil {
			childPage = nestedListItems // a connection below the root (a step's datagrid) holds its own rows
		}
		scan = m.rows[strings.TrimSuffix(typeName, "Connection")] / rowsPerCostUnit
	case f.Definition.Type.Elem != nil && page > 0:
		items = page // the edges of a connection: its page
	case f.Definition.Type.Elem != nil && f.ObjectDefinition != nil && f.Definition.Type.Name() == f.ObjectDefinition.Name:
		items = 1 // a tree's next level (Step.steps): the estimate above covers the whole tree
	case m.inAsBuilt && f.ObjectDefinition != nil && asBuiltLevels[f.ObjectDefinition.Name+"."+f.Name]:
		items = 1 // the as-built tree's next level, likewise
	case f.Definition.Type.Elem != nil:
		items = nestedListItems
	}
	if f.ObjectDefinition != nil && asBuiltLevels[f.ObjectDefinition.Name+"."+f.Name] {
		m.inAsBuilt = true
	}
	c, d := m.measure(f.SelectionSet, childPage)
	return 1 + scan + items*c, 1 + d
}

// pageSize is the most items a connection field's page may hold.
func pageSize(f *ast.Field, vars map[string]any, maxPage int) int {
	for _, name := range []string{"first", "last"} {
		if arg := f.Arguments.ForName(name); arg != nil {
			if v, err := arg.Value.Value(vars); err == nil && v != nil {
				if n, err := shopfloor.ParseID(v); err == nil {
					return int(max(0, n))
				}
			}
		}
	}
	return maxPage
}

// rowCountTTL is how long an organization's row counts are reused.
const rowCountTTL = 30 * time.Second

// rowCounts caches each organization's row counts (one statement per
// organization every rowCountTTL, per replica). One read at a time
// refreshes an organization's counts, however many requests find them
// stale: the others go on with the last counts (or, the first time, wait
// for that one read), instead of each counting every table at once.
type rowCounts struct {
	store  shopfloor.RowCounter
	logger *slog.Logger
	mu     sync.Mutex
	byOrg  map[int64]countedAt
	reads  singleflight.Group // by organization id
}

type countedAt struct {
	at   time.Time
	rows map[string]int
}

// rowCountTimeout bounds a refresh, which outlives the request that began it.
const rowCountTimeout = 30 * time.Second

// of returns the row counts of the caller's organization, or, when they
// cannot be read, the last ones read (nil at first: lists are then charged
// by their shape alone; the operation itself meets the failure, if it
// lasts, and answers it).
func (c *rowCounts) of(ctx context.Context, org int64) map[string]int {
	c.mu.Lock()
	cached, ok := c.byOrg[org]
	c.mu.Unlock()
	if ok && time.Since(cached.at) < rowCountTTL {
		return cached.rows
	}
	read := c.reads.DoChan(strconv.FormatInt(org, 10), func() (any, error) {
		c.mu.Lock()
		latest, ok := c.byOrg[org]
		c.mu.Unlock()
		if ok && time.Since(latest.at) < rowCountTTL { // a read that ended since this request looked
			return latest.rows, nil
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rowCountTimeout)
		defer cancel()
		rows, err := c.store.RowCounts(ctx)
		if err != nil {
			c.logger.WarnContext(ctx, "row counts unavailable; lists charged by shape", "request_id", shopfloor.RequestID(ctx), "error", err)
			return nil, err
		}
		c.mu.Lock()
		c.byOrg[org] = countedAt{at: time.Now(), rows: rows}
		c.mu.Unlock()
		return rows, nil
	})
	if ok {
		return cached.rows
	}
	select {
	case r := <-read:
		rows, _ := r.Val.(map[string]int)
		return rows
	case <-ctx.Done():
		return nil
	}
}
