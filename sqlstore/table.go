package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/shopfloor-dev/shopfloor"
)

// kind is how a filter value is read for a column.
type kind int

const (
	kindID kind = iota
	kindText
	kindEnum // text compared upper-cased
	kindFloat
	kindBool
)

// column is a filterable, sortable field: its SQL expression and kind.
type column struct {
	expr string
	kind kind
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(dest ...any) error }

// table describes one entity's table for the generic get, list and write
// helpers. Every query built from it is scoped by org and skips soft-deleted
// rows.
type table[T any] struct {
	entity string // the entity's name in messages: "Part"
	name   string // SQL table
	alias  string // SQL alias used in selects and fields
	// kept tables have no deleted_at: their rows are never deleted.
	kept bool
	// shared tables hold a catalog every organization reads the same: they
	// have no org_id, are read joined to the caller's organization (as o),
	// and are written only from the code's catalog.
	shared bool
	// joins follow the table in every read: the rows its derived fields
	// are computed from, joined once per statement.
	joins string
	// lookups follow the joins: rows found by key, one per row of t.
	lookups []lookup
	selects string            // the select list matching dest
	fields  map[string]column // GraphQL field name → column, for filters and sort
	// dest returns the scan destinations of v, in selects order.
	dest func(v *T) []any
	// derived are the expressions of selects that cost more than a column
	// (sums, statuses, subqueries): a read for an operation computes each
	// only when the operation selects one of its fields, and reads a
	// constant of the same type instead, so dest keeps its order (a native
	// scan skips it). Each is an item of selects, whole, and its zero
	// scans as the Go zero value.
	derived []derived
	// selectsFor caches the readList per set of derived fields left out.
	selectsFor sync.Map // uint64 bit mask → readList
	// pages are spare slices a list or a grouped read scans its rows into
	// before it keeps them in one of their own size (appending would make
	// a page's slice about three times over).
	pages sync.Pool // *[]T
	// preloads are the related rows a read can carry in its statement.
	preloads []preload
	// liveCounted tables have their organizations' live rows counted in
	// live_counts by the triggers of migration 00028: an unfiltered list
	// reads its total there.
	liveCounted bool
}

// derived is an expression of a table's select list that an operation reads
// only when it selects one of fields (GraphQL names of the table's entity);
// otherwise zero takes its place.
type derived struct {
	expr, zero string
	fields     []string
}

// selectList is t's select list for the operation of ctx: each derived
// expression it does not select is its zero. Without an operation (the
// commands, the store's own logic) it is the whole list.
func (t *table[T]) selectList(ctx context.Context) string { return t.readList(ctx).cols }

// readList is a select list for one operation: its text, and the positions
// (in dest order) of the derived items it reads as their zero, which a
// native scan leaves out (pgx skips a nil destination) since dest's value
// starts zero and no row writes them.
type readList struct {
	cols string
	skip []int
}

// readList is t's select list for the operation of ctx, as selectList.
func (t *table[T]) readList(ctx context.Context) readList {
	sel := shopfloor.SelectionFrom(ctx)
	if sel == nil || len(t.derived) == 0 {
		return readList{cols: t.selects}
	}
	var unselected uint64
	for i, d := range t.derived {
		if !slices.ContainsFunc(d.fields, func(f string) bool { return sel.Selects(t.entity, f) }) {
			unselected |= 1 << i
		}
	}
	if unselected == 0 {
		return readList{cols: t.selects}
	}
	if l, ok := t.selectsFor.Load(unselected); ok {
		return l.(readList)
	}
	l := readList{cols: t.selects}
	items := selectItems(t.selects)
	for i, d := range t.derived {
		if unselected&(1<<i) == 0 {
			continue
		}
		// The replacement replaces the expression where its text first
		// is: that is its item when the item is the expression whole.
		if k := slices.Index(items, strings.Index(t.selects, d.expr)); k >= 0 && itemAt(t.selects, items, k) == d.expr {
			l.skip = append(l.skip, k)
		}
		l.cols = strings.Replace(l.cols, d.expr, d.zero, 1)
	}
	t.selectsFor.Store(unselected, l)
	return l
}

// selectItems are the offsets in a select list where its items start (past
// the spaces after a comma): after each comma outside parentheses and
// quotes.
func selectItems(list string) []int {
	items := []int{0}
	depth, quoted := 0, false
	for i := 0; i < len(list); i++ {
		switch c := list[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			items = append(items, i+1+len(list[i+1:])-len(strings.TrimLeft(list[i+1:], " \t\n")))
		}
	}
	return items
}

// itemAt is item k of a select list whose items start at items.
func itemAt(list string, items []int, k int) string {
	end := len(list)
	if k+1 < len(items) {
		end = strings.LastIndexByte(list[:items[k+1]], ',')
	}
	return strings.TrimSpace(list[items[k]:end])
}

// from is the FROM clause of t's reads on the engine of d.
func (t *table[T]) from(d *dialect) string {
	from := t.name + " " + t.alias
	if t.shared {
		from += " CROSS JOIN organizations o"
	}
	from += t.joins
	for _, l := range t.lookups {
		from += d.lookupJoin(l)
	}
	return from
}

// liveCount is the expression of the number of an organization's live rows
// of a liveCounted t, taking the organization's id.
func (t *table[T]) liveCount() string {
	return "(SELECT COALESCE(SUM(n), 0) FROM live_counts WHERE org_id = ? AND table_name = '" + t.name + "')"
}

// scope is the WHERE clause every query on t starts with.
func (t *table[T]) scope() string {
	switch {
	case t.shared:
		return "o.id = ?"
	case t.kept:
		return t.alias + ".org_id = ?"
	}
	return t.alias + ".org_id = ? AND " + t.alias + ".deleted_at IS NULL"
}

// rowScope is the unaliased WHERE clause that finds one live row of an
// org; it takes the id and the org id.
func (t *table[T]) rowScope() string {
	if t.kept {
		return "id = ? AND org_id = ?"
	}
	return "id = ? AND org_id = ? AND deleted_at IS NULL"
}

func (t *table[T]) scanOne(sc scanner, extra ...any) (T, error) {
	var v T
	err := sc.Scan(append(t.dest(&v), extra...)...)
	return v, err
}

// get reads one row of the caller's org by id; a missing, deleted or foreign
// row is the same not-found error.
func get[T any](ctx context.Context, s *Store, t *table[T], id int64) (_ *T, err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	return getCols(ctx, s, s.read, t, t.selectList(ctx), "", nil, p, id)
}

// getIn is get through q: a transaction reads its own writes, every
// derived field included.
func getIn[T any](ctx context.Context, s *Store, q querier, t *table[T], p *shopfloor.Principal, id int64) (*T, error) {
	return getCols(ctx, s, q, t, t.selects, "", nil, p, id)
}

// getCols reads the columns cols of one row; with, when given, is a WITH
// clause the statement starts with, taking withArgs.
func getCols[T any](ctx context.Context, s *Store, q querier, t *table[T], cols, with string, withArgs []any, p *shopfloor.Principal, id int64) (*T, error) {
	row := s.queryRow(ctx, q, with+"SELECT "+cols+" FROM "+t.from(s.dialect)+" WHERE "+t.alias+".id = ? AND "+t.scope(), append(withArgs, id, p.OrgID)...)
	v, err := t.scanOne(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shopfloor.NotFound(t.entity, id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: get %s: %w", t.name, err)
	}
	return &v, nil
}

// columnOf reads one column of a live row of the caller's org into dest,
// when a rule needs that fact only; a missing, deleted or foreign row is
// the same not-found error as get's.
func columnOf[T any](ctx context.Context, s *Store, q querier, t *table[T], p *shopfloor.Principal, id int64, col string, dest any) error {
	err := s.queryRow(ctx, q, "SELECT "+col+" FROM "+t.name+" WHERE "+t.rowScope(), id, p.OrgID).Scan(dest)
	if errors.Is(err, sql.ErrNoRows) {
		return shopfloor.NotFound(t.entity, id)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: read %s.%s: %w", t.name, col, err)
	}
	return nil
}

// byIDs reads the rows of the caller's org among ids, in one statement.
func byIDs[T any](ctx context.Context, s *Store, t *table[T], ids []int64) ([]T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cond, args := s.dialect.idIn(t.alias+".id", ids)
	return where(ctx, s, t, cond, args...)
}

// where reads the rows of the caller's org matching cond, ordered by id.
func where[T any](ctx context.Context, s *Store, t *table[T], cond string, args ...any) ([]T, error) {
	var out []T
	err := selectRows(ctx, s, t, "", "", cond, t.alias+".id", args, nil, func(v T) { out = append(out, v) })
	return out, err
}

// grouped reads the rows of the caller's org whose key (an int64 SQL
// expression, reached through join) is among keys, grouped by key.
func grouped[T any](ctx context.Context, s *Store, t *table[T], join, key string, keys []int64) (map[int64][]T, error) {
	return groupedBy(ctx, s, t, join, "", key, keys)
}

// groupedWhere is grouped of the rows that also meet cond.
func groupedWhere[T any](ctx context.Context, s *Store, t *table[T], cond, key string, keys []int64) (map[int64][]T, error) {
	return groupedBy(ctx, s, t, "", cond+" AND ", key, keys)
}

// sparePage is an empty spare slice of t's to scan rows into.
func (t *table[T]) sparePage() *[]T {
	if p, ok := t.pages.Get().(*[]T); ok {
		return p
	}
	return new([]T)
}

// putPage gives a spare slice back, its rows cleared.
func (t *table[T]) putPage(p *[]T) {
	clear(*p)
	*p = (*p)[:0]
	t.pages.Put(p)
}

// rowPlace is where a grouped read's row is: its key, its id and its index
// in the rows as read.
type rowPlace struct {
	key, id int64
	i       int
}

// placesPool are spare slices of rowPlace for grouped reads.
var placesPool = sync.Pool{New: func() any { return new([]rowPlace) }}

// groupedBy reads the rows whose key is among keys, each key's rows in id
// order, as one window of a single slice. The statement has no ORDER BY:
// the rows are put in order here, by the key and id read beside each, which
// costs less than the engine's sort (on PostgreSQL a fifth of the time of a
// 400-row read). The rows are scanned into one of t's spare slices and kept
// in one of their own size, as a list's.
func groupedBy[T any](ctx context.Context, s *Store, t *table[T], join, cond, key string, keys []int64) (map[int64][]T, error) {
	out := make(map[int64][]T)
	if len(keys) == 0 {
		return out, nil
	}
	spare, spareAt := t.sparePage(), placesPool.Get().(*[]rowPlace)
	var (
		all    = (*spare)[:0]
		places = (*spareAt)[:0]
		k, id  int64
	)
	defer func() {
		*spare, *spareAt = all, places[:0]
		t.putPage(spare)
		placesPool.Put(spareAt)
	}()
	in, args := s.dialect.idIn(key, keys)
	err := selectRows(ctx, s, t, key+", "+t.alias+".id", join, cond+in, "", args, []any{&k, &id}, func(v T) {
		places = append(places, rowPlace{k, id, len(all)})
		all = append(all, v)
	})
	if err != nil {
		return out, err
	}
	byKeyThenID := func(a, b rowPlace) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id)) }
	if !slices.IsSortedFunc(places, byKeyThenID) {
		slices.SortFunc(places, byKeyThenID)
		// Each row moves to its place, cycle after cycle of the
		// permutation, in all itself (i = -1: in place).
		for j := range places {
			if places[j].i < 0 {
				continue
			}
			first, at := all[j], j
			for {
				from := places[at].i
				places[at].i = -1
				if from == j {
					all[at] = first
					break
				}
				all[at], at = all[from], from
			}
		}
	}
	kept := slices.Clone(all)
	lo := 0
	for j, pl := range places {
		if j+1 == len(places) || places[j+1].key != pl.key {
			out[pl.key] = kept[lo : j+1 : j+1]
			lo = j + 1
		}
	}
	return out, nil
}

// selectRows runs one org-scoped select over t and hands each row to emit,
// in order (any, when order is ""), scanning extraCols (selected after t's
// own) into extra.
func selectRows[T any](ctx context.Context, s *Store, t *table[T], extraCols, join, cond, order string, args, extra []any, emit func(T)) (err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return err
	}
	list := t.readList(ctx)
	cols := list.cols
	if extraCols != "" {
		cols += ", " + extraCols
	}
	c := t.carried(ctx, p.OrgID)
	q := "SELECT " + cols + c.cols + " FROM " + t.from(s.dialect) + join + " WHERE " + t.scope() + " AND " + cond
	if order != "" {
		q += " ORDER BY " + order
	}
	rows, err := s.query(ctx, s.read, q, append([]any{p.OrgID}, args...)...)
	if err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", t.name, err)
	}
	defer rows.Close()
	if err := t.scanEach(rows, list.skip, append(extra, c.dest()...), func(v T) { c.scanned(); emit(v) }); err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", t.name, err)
	}
	c.hand()
	return nil
}

// scanEach scans every row of rows and hands each to emit (a copy), with
// extra destinations after t's. One value and one list of destinations
// serve all the rows: a scan overwrites every destination, NULL included,
// and allocates afresh what the value points to; a native scan leaves out
// the destinations at skip (readList), which keep the value's zero.
func (t *table[T]) scanEach(rows *rows, skip []int, extra []any, emit func(T)) error {
	var v T
	dest := append(t.dest(&v), extra...)
	if columns, ok := rows.columns(); ok {
		dest = pgxDest(dest, columns)
		for _, i := range skip {
			dest[i] = nil
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		emit(v)
	}
	return rows.Err()
}

// list answers an ION list query: filters, sort and a Relay window. The
// total count is taken only when the operation selects totalCount (or the
// window needs it), in the same statement by an uncorrelated subquery, which
// both engines evaluate once (COUNT(*) OVER () would compute the select
// list, derived fields and all, for every match instead of the page's rows
// only), from live_counts when the list is unfiltered and the table is
// liveCounted; without it, one row past the page tells whether matches
// follow.
func list[T any](ctx context.Context, s *Store, t *table[T], opts shopfloor.ListOptions) (_ *shopfloor.Page[T], err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	w, err := opts.Window()
	if err != nil {
		return nil, err
	}
	whereSQL, args, err := t.matching(s.dialect, p.OrgID, opts.Filters)
	if err != nil {
		return nil, err
	}
	order, err := t.order(opts.Sort)
	if err != nil {
		return nil, err
	}
	countSQL, countArgs := "SELECT COUNT(*)"+whereSQL, args
	if t.liveCounted && len(opts.Filters) == 0 {
		countSQL, countArgs = "SELECT "+t.liveCount(), []any{p.OrgID}
	}
	count := func() (int, error) {
		var n int
		if err := s.queryRow(ctx, s.read, countSQL, countArgs...).Scan(&n); err != nil {
			return 0, fmt.Errorf("sqlstore: count %s: %w", t.name, err)
		}
		return n, nil
	}
	sel := shopfloor.SelectionFrom(ctx)
	// first: 0 asks for the count alone: it answers hasNextPage too.
	counts := sel == nil || sel.SelectsField("totalCount") || w.Limit == 0
	page := &shopfloor.Page[T]{TotalCount: -1}
	if w.NeedsTotal {
		if page.TotalCount, err = count(); err != nil {
			return nil, err
		}
		w = w.Place(page.TotalCount)
		counts = false // counted already
	}
	page.Offset = w.Offset
	if w.Limit != 0 {
		list := t.readList(ctx)
		cols, colArgs, limit, extra := list.cols, args, w.Limit, []any(nil)
		switch {
		case counts:
			cols += ", (" + countSQL + ")"
			colArgs, extra = append(slices.Clone(countArgs), args...), []any{&page.TotalCount}
		case limit > 0:
			limit++ // the row past the page tells whether matches follow
		}
		c := t.carried(ctx, p.OrgID)
		rows, err := s.query(ctx, s.read, "SELECT "+cols+c.cols+whereSQL+" ORDER BY "+order+s.dialect.limitOffset(limit, w.Offset), colArgs...)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list %s: %w", t.name, err)
		}
		defer rows.Close()
		scanned := t.sparePage()
		err = t.scanEach(rows, list.skip, append(extra, c.dest()...), func(v T) { c.scanned(); *scanned = append(*scanned, v) })
		if len(*scanned) > 0 {
			page.Items = slices.Clone(*scanned)
		}
		t.putPage(scanned)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list %s: %w", t.name, err)
		}
		c.hand()
		if !counts && w.Limit > 0 && len(page.Items) > w.Limit {
			page.Items, page.More = page.Items[:w.Limit], true
		}
	}
	if counts && page.TotalCount < 0 { // an empty page carries no count
		if page.TotalCount, err = count(); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// matching renders the FROM and WHERE clauses of a list of org's rows
// matching filters, with their arguments.
func (t *table[T]) matching(d *dialect, orgID int64, filters map[string]any) (string, []any, error) {
	cond, args, err := t.filter(d, filters)
	if err != nil {
		return "", nil, err
	}
	return " FROM " + t.from(d) + " WHERE " + t.scope() + cond, append([]any{orgID}, args...), nil
}

// filter renders ION's {field: {op: value}} input as AND-ed conditions.
func (t *table[T]) filter(d *dialect, filters map[string]any) (string, []any, error) {
	var b strings.Builder
	var args []any
	for _, field := range sortedKeys(filters) {
		col, ok := t.fields[field]
		if !ok {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter field %s is not supported.", t.entity, field)
		}
		ops, ok := filters[field].(map[string]any)
		if !ok {
			if filters[field] == nil {
				continue
			}
			ops = map[string]any{"eq": filters[field]} // a bare value means eq
		}
		for _, op := range sortedKeys(ops) {
			cond, opArgs, err := col.condition(d, t.entity, field, op, ops[op])
			if err != nil {
				return "", nil, err
			}
			b.WriteString(" AND " + cond)
			args = append(args, opArgs...)
		}
	}
	return b.String(), args, nil
}

func (c column) condition(d *dialect, entity, field, op string, raw any) (string, []any, error) {
	raw = deref(raw)
	switch op {
	case "eq", "neq":
		if raw == nil {
			if op == "eq" {
				return c.expr + " IS NULL", nil, nil
			}
			return c.expr + " IS NOT NULL", nil, nil
		}
		v, err := c.value(entity, field, raw)
		if err != nil {
			return "", nil, err
		}
		if op == "eq" {
			return c.expr + " = ?", []any{v}, nil
		}
		return c.expr + " <> ?", []any{v}, nil
	case "in":
		list := reflect.ValueOf(raw)
		if list.Kind() != reflect.Slice {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter %s.in must be a list.", entity, field)
		}
		if list.Len() > shopfloor.MaxFilterValues {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter %s.in must have at most %d values.", entity, field, shopfloor.MaxFilterValues)
		}
		var args []any
		for i := range list.Len() {
			item := deref(list.Index(i).Interface())
			if item == nil { // a null item matches nothing
				continue
			}
			v, err := c.value(entity, field, item)
			if err != nil {
				return "", nil, err
			}
			args = append(args, v)
		}
		if len(args) == 0 {
			return "1 = 0", nil, nil
		}
		if c.kind == kindID {
			ids := make([]int64, len(args))
			for i, v := range args {
				ids[i] = v.(int64)
			}
			cond, idArgs := d.idIn(c.expr, ids)
			return cond, idArgs, nil
		}
		return c.expr + " IN (" + placeholders(len(args)) + ")", args, nil
	case "ilike":
		s, ok := raw.(string)
		if !ok || (c.kind != kindText && c.kind != kindEnum) {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter %s.ilike must be a text pattern.", entity, field)
		}
		if utf8.RuneCountInString(s) > shopfloor.MaxPattern {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter %s.ilike must be at most %d characters.", entity, field, shopfloor.MaxPattern)
		}
		if trailing := len(s) - len(strings.TrimRight(s, `\`)); trailing%2 == 1 {
			return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, `%s filter %s.ilike must not end with an unescaped backslash.`, entity, field)
		}
		return d.lower(c.expr) + " LIKE " + d.lower("?") + ` ESCAPE '\'`, []any{s}, nil
	}
	return "", nil, shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter operator %s is not supported.", entity, op)
}

// value converts a filter value to the column's kind.
func (c column) value(entity, field string, raw any) (any, error) {
	bad := func() error {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "%s filter %s has an invalid value.", entity, field)
	}
	switch c.kind {
	case kindID:
		id, err := shopfloor.ParseID(raw)
		if err != nil {
			return nil, bad()
		}
		return id, nil
	case kindFloat:
		f, err := parseFloat(raw)
		if err != nil {
			return nil, bad()
		}
		return f, nil
	case kindBool:
		b, ok := raw.(bool)
		if !ok {
			return nil, bad()
		}
		return b, nil
	case kindEnum:
		s, ok := raw.(string)
		if !ok {
			return nil, bad()
		}
		return strings.ToUpper(s), nil
	default:
		s, ok := raw.(string)
		if !ok {
			return nil, bad()
		}
		return s, nil
	}
}

// order renders sort keys such as PART_NUMBER_DESC, always ending with the id
// so that pages are stable.
func (t *table[T]) order(keys []string) (string, error) {
	var parts []string
	for _, key := range keys {
		dir := ""
		name, ok := strings.CutSuffix(key, "_ASC")
		if !ok {
			name, dir = strings.TrimSuffix(key, "_DESC"), " DESC"
		}
		col, ok := t.fields[sortField(t.fields, name)]
		if !ok {
			return "", shopfloor.Errorf(shopfloor.CodeInvalid, "%s sort %s is not supported.", t.entity, key)
		}
		parts = append(parts, col.expr+dir)
	}
	return strings.Join(append(parts, t.alias+".id"), ", "), nil
}

// sortField finds the field whose UPPER_SNAKE name is name.
func sortField(fields map[string]column, name string) string {
	for f := range fields {
		if UpperSnake(f) == name {
			return f
		}
	}
	return ""
}

// UpperSnake turns a GraphQL field name into its sort-enum stem:
// partNumber → PART_NUMBER.
func UpperSnake(field string) string {
	var b strings.Builder
	for i, r := range field {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// deref reads through a pointer: the GraphQL layer hands optional values as
// pointers.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	if rv.IsNil() {
		return nil
	}
	return rv.Elem().Interface()
}

// whereIn reads the rows of p's org matching cond through q, ordered by
// id: a transaction reads what it is about to decide on.
func whereIn[T any](ctx context.Context, s *Store, q querier, t *table[T], p *shopfloor.Principal, cond string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, q, "SELECT "+t.selects+" FROM "+t.from(s.dialect)+" WHERE "+t.scope()+" AND "+cond+" ORDER BY "+t.alias+".id",
		append([]any{p.OrgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read %s: %w", t.name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := t.scanOne(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read %s: %w", t.name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read %s: %w", t.name, err)
	}
	return out, nil
}
