package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// etagged is an entity's id and etag.
type etagged struct {
	ID   int64  `json:"id"`
	Etag string `json:"_etag"`
}

// datagridOf reads a step's datagrid in both shapes: the connections (id,
// etag, index) and the linked lists (id, prevId), and the cells.
func datagridOf(t *testing.T, s *testServer, tok string, stepID int64) string {
	t.Helper()
	var out struct {
		DatagridColumns struct {
			Edges []struct {
				Node struct {
					etagged
					Index  int
					Header string
					Type   string
				}
			}
		}
		DatagridRows struct {
			Edges []struct {
				Node struct {
					etagged
					Index    int
					Required bool
					Values   []struct {
						ColumnID int64
						Value    any
					}
				}
			}
		}
		Datagrid struct {
			Columns []struct {
				ID     int64
				PrevID *int64
			}
			Rows []struct {
				ID     int64
				PrevID *int64
			}
		}
	}
	s.gql(t, tok, `query($id: ID!) { step(id: $id) {
		datagridColumns { edges { node { id _etag index header type } } }
		datagridRows { edges { node { id _etag index required values { columnId value } } } }
		datagrid { columns { id prevId } rows { id prevId } } } }`, map[string]any{"id": stepID}).must(t).field(t, "step", &out)
	var b strings.Builder
	link := func(prev *int64) string {
		if prev == nil {
			return "-"
		}
		return fmt.Sprint(*prev)
	}
	for i, e := range out.DatagridColumns.Edges {
		c := e.Node
		l := out.Datagrid.Columns[i]
		fmt.Fprintf(&b, "col %d@%d %s %s %s prev %s; ", c.ID, c.Index, c.Header, c.Type, c.Etag, link(l.PrevID))
		if l.ID != c.ID {
			t.Fatalf("the linked columns are not in the connection's order: %+v", out)
		}
	}
	for i, e := range out.DatagridRows.Edges {
		r := e.Node
		l := out.Datagrid.Rows[i]
		fmt.Fprintf(&b, "row %d@%d %v %s %v prev %s; ", r.ID, r.Index, r.Required, r.Etag, r.Values, link(l.PrevID))
		if l.ID != r.ID {
			t.Fatalf("the linked rows are not in the connection's order: %+v", out)
		}
	}
	return b.String()
}

// indexes lists the ids of a datagrid's columns and rows with their indexes
// and prevIds: "col 5@0 prev -, col 6@1 prev 5".
func indexes(t *testing.T, grid string) string {
	t.Helper()
	var out []string
	for _, item := range strings.Split(strings.TrimSuffix(grid, "; "), "; ") {
		f := strings.Fields(item)
		out = append(out, f[0]+" "+f[1]+" prev "+f[len(f)-1])
	}
	return strings.Join(out, ", ")
}

const (
	createColumnQuery = `mutation($step: ID!, $header: String, $type: Fieldtypeenum) {
		createDatagridColumn(input: {stepId: $step, header: $header, type: $type}) { datagridColumn { id _etag } } }`
	updateColumnQuery = `mutation($id: ID!, $etag: String, $header: String, $type: Fieldtypeenum, $options: JSON) {
		updateDatagridColumn(input: {id: $id, etag: $etag, header: $header, type: $type, options: $options}) { datagridColumn { id _etag header type options } } }`
	reorderColumnQuery = `mutation($id: ID!, $etag: String, $index: Int, $prevId: ID) {
		reorderDatagridColumn(input: {id: $id, etag: $etag, index: $index, prevId: $prevId}) { datagridColumn { id _etag index } } }`
	deleteColumnQuery = `mutation($id: ID!, $etag: String!) { deleteDatagridColumn(id: $id, etag: $etag) { id } }`
	updateRowQuery    = `mutation($id: ID!, $etag: String, $required: Boolean) {
		updateDatagridRow(input: {id: $id, etag: $etag, required: $required}) { datagridRow { id _etag required } } }`
	reorderRowQuery = `mutation($id: ID!, $etag: String, $index: Int, $prevId: ID) {
		reorderDatagridRow(input: {id: $id, etag: $etag, index: $index, prevId: $prevId}) { datagridRow { id _etag index } } }`
	deleteRowQuery = `mutation($id: ID!, $etag: String!) { deleteDatagridRow(id: $id, etag: $etag) { id } }`
	setValueQuery  = `mutation($row: ID!, $col: ID!, $v: JSON) { setDatagridValue(input: {rowId: $row, columnId: $col, value: $v}) { datagridValue { id } } }`
)

// newDatagrid makes a datagrid step with columns of the given types
// (headers C0, C1, …) and n rows.
func newDatagrid(t *testing.T, s *testServer, tok string, procedureID int64, types []string, n int) (step stepRef, cols, rows []etagged) {
	t.Helper()
	step = newStep(t, s, tok, procedureID, nil)
	for i, typ := range types {
		var out struct{ DatagridColumn etagged }
		s.gql(t, tok, createColumnQuery, map[string]any{"step": step.ID, "header": fmt.Sprintf("C%d", i), "type": typ}).must(t).field(t, "createDatagridColumn", &out)
		cols = append(cols, out.DatagridColumn)
	}
	for i := 0; i < n; i++ {
		var out struct{ DatagridRow etagged }
		s.gql(t, tok, `mutation($step: ID!, $i: Int) { createDatagridRow(input: {stepId: $step, index: $i}) { datagridRow { id _etag } } }`,
			map[string]any{"step": step.ID, "i": i}).must(t).field(t, "createDatagridRow", &out)
		rows = append(rows, out.DatagridRow)
	}
	return step, cols, rows
}

// Columns and rows change, move and go: both read shapes stay in one
// order with indexes from 0; a move changes the moved one's etag only; a
// column's new type must fit its cells; refusals change nothing.
func TestDatagridEdits(t *testing.T) { onEngines(t, testDatagridEdits) }

func testDatagridEdits(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	step, cols, rows := newDatagrid(t, s, tok, p.ID, []string{"STRING", "STRING", "NUMBER"}, 3)
	a, b, c := cols[0], cols[1], cols[2]
	s.gql(t, tok, setValueQuery, map[string]any{"row": rows[0].ID, "col": a.ID, "v": "7"}).must(t)
	s.gql(t, tok, setValueQuery, map[string]any{"row": rows[1].ID, "col": b.ID, "v": "bolt"}).must(t)
	s.gql(t, tok, setValueQuery, map[string]any{"row": rows[2].ID, "col": c.ID, "v": 3}).must(t)
	invalid := func(r gqlResponse, msg string) {
		t.Helper()
		r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, msg)
	}

	// Columns created without an index keep creation order; moving C first
	// numbers all three from 0 and changes only C's etag.
	var moved struct{ DatagridColumn etagged }
	s.gql(t, tok, reorderColumnQuery, map[string]any{"id": c.ID, "etag": c.Etag, "index": 0}).must(t).field(t, "reorderDatagridColumn", &moved)
	grid := datagridOf(t, s, tok, step.ID)
	want := fmt.Sprintf("col %d@0 prev -, col %d@1 prev %d, col %d@2 prev %d", c.ID, a.ID, c.ID, b.ID, a.ID)
	if got := indexes(t, grid); !strings.HasPrefix(got, want) {
		t.Fatalf("after moving C first: %s, want %s", got, want)
	}
	if moved.DatagridColumn.Etag == c.Etag || !strings.Contains(grid, a.Etag) || !strings.Contains(grid, b.Etag) {
		t.Fatalf("etags after the move: %s", grid)
	}
	c = moved.DatagridColumn
	// The linked shape's move: A right after B, then prevId null is first.
	s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "prevId": b.ID}).must(t).field(t, "reorderDatagridColumn", &moved)
	a = moved.DatagridColumn
	want = fmt.Sprintf("col %d@0 prev -, col %d@1 prev %d, col %d@2 prev %d", c.ID, b.ID, c.ID, a.ID, b.ID)
	if got := indexes(t, datagridOf(t, s, tok, step.ID)); !strings.HasPrefix(got, want) {
		t.Fatalf("after moving A after B: %s, want %s", got, want)
	}
	s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag}).must(t).field(t, "reorderDatagridColumn", &moved)
	a = moved.DatagridColumn
	want = fmt.Sprintf("col %d@0 prev -, col %d@1 prev %d, col %d@2 prev %d", a.ID, c.ID, a.ID, b.ID, c.ID)
	if got := indexes(t, datagridOf(t, s, tok, step.ID)); !strings.HasPrefix(got, want) {
		t.Fatalf("after moving A first: %s, want %s", got, want)
	}

	// Refusals: each a 422 or 409 that changes nothing.
	_, otherCols, _ := newDatagrid(t, s, tok, p.ID, []string{"STRING"}, 0)
	before := datagridOf(t, s, tok, step.ID)
	invalid(s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "index": 3}), "DatagridColumn index must be between 0 and 2.")
	invalid(s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "prevId": a.ID}), "DatagridColumn prevId must not be the column itself.")
	invalid(s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "prevId": otherCols[0].ID}),
		"DatagridColumn prevId must be a column of the same step.")
	invalid(s.gql(t, tok, reorderColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "index": 1, "prevId": b.ID}),
		"DatagridColumn index and prevId cannot both be given.")
	invalid(s.gql(t, tok, updateColumnQuery, map[string]any{"id": b.ID, "etag": b.Etag, "type": "NUMBER"}),
		fmt.Sprintf("DatagridColumn type does not fit the value set in row %d; clear it first.", rows[1].ID))
	invalid(s.gql(t, tok, updateColumnQuery, map[string]any{"id": b.ID, "etag": b.Etag, "type": "SELECT", "options": []any{"nut"}}),
		fmt.Sprintf("DatagridColumn type does not fit the value set in row %d; clear it first.", rows[1].ID))
	invalid(s.gql(t, tok, updateColumnQuery, map[string]any{"id": b.ID, "etag": b.Etag, "type": "SELECT", "options": []any{}}),
		"DatagridColumn options must be a non-empty list for type SELECT.")
	invalid(s.gql(t, tok, reorderRowQuery, map[string]any{"id": rows[0].ID, "etag": rows[0].Etag, "prevId": rows[0].ID}),
		"DatagridRow prevId must not be the row itself.")
	const stale = "00000000000000000000000000000000"
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"updateDatagridColumn", updateColumnQuery, map[string]any{"id": b.ID, "etag": stale, "header": "x"}},
		{"reorderDatagridColumn", reorderColumnQuery, map[string]any{"id": b.ID, "etag": stale, "index": 0}},
		{"deleteDatagridColumn", deleteColumnQuery, map[string]any{"id": b.ID, "etag": stale}},
		{"updateDatagridRow", updateRowQuery, map[string]any{"id": rows[1].ID, "etag": stale, "required": true}},
		{"reorderDatagridRow", reorderRowQuery, map[string]any{"id": rows[1].ID, "etag": stale, "index": 0}},
		{"deleteDatagridRow", deleteRowQuery, map[string]any{"id": rows[1].ID, "etag": stale}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tok, tc.query, tc.vars).wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		})
	}
	if after := datagridOf(t, s, tok, step.ID); after != before {
		t.Fatalf("refusals changed the datagrid:\n%s\n%s", before, after)
	}

	// A STRING column holding "7" becomes NUMBER: the cell keeps 7, a number.
	var updated struct {
		DatagridColumn struct {
			etagged
			Header, Type string
		}
	}
	s.gql(t, tok, updateColumnQuery, map[string]any{"id": a.ID, "etag": a.Etag, "header": "Torque", "type": "NUMBER"}).must(t).field(t, "updateDatagridColumn", &updated)
	if updated.DatagridColumn.Header != "Torque" || updated.DatagridColumn.Type != "NUMBER" || updated.DatagridColumn.Etag == a.Etag {
		t.Fatalf("updated column: %+v", updated.DatagridColumn)
	}
	if grid := datagridOf(t, s, tok, step.ID); !strings.Contains(grid, fmt.Sprintf("{%d 7}", a.ID)) {
		t.Fatalf("the cell did not become the number 7: %s", grid)
	}

	// Rows: update, move the last first, delete the middle one with its cells.
	var row struct{ DatagridRow etagged }
	s.gql(t, tok, updateRowQuery, map[string]any{"id": rows[0].ID, "etag": rows[0].Etag, "required": true}).must(t).field(t, "updateDatagridRow", &row)
	rows[0] = row.DatagridRow
	s.gql(t, tok, reorderRowQuery, map[string]any{"id": rows[2].ID, "etag": rows[2].Etag, "index": 0}).must(t).field(t, "reorderDatagridRow", &row)
	rows[2] = row.DatagridRow
	s.gql(t, tok, deleteRowQuery, map[string]any{"id": rows[0].ID, "etag": rows[0].Etag}).must(t)
	s.gql(t, tok, deleteColumnQuery, map[string]any{"id": c.ID, "etag": c.Etag}).must(t)
	grid = datagridOf(t, s, tok, step.ID)
	want = fmt.Sprintf("col %d@0 prev -, col %d@1 prev %d, row %d@0 prev -, row %d@1 prev %d", a.ID, b.ID, a.ID, rows[2].ID, rows[1].ID, rows[2].ID)
	if got := indexes(t, grid); got != want {
		t.Fatalf("after the row edits: %s, want %s", got, want)
	}
	// C's cell went with C (row 2 has none left), row 0's with row 0.
	if !strings.Contains(grid, fmt.Sprintf("row %d@0 false %s [] prev", rows[2].ID, rows[2].Etag)) || strings.Contains(grid, "{"+fmt.Sprint(a.ID)+" 7}") {
		t.Fatalf("cells of deleted columns and rows remain: %s", grid)
	}
	s.gql(t, tok, setValueQuery, map[string]any{"row": rows[0].ID, "col": a.ID, "v": 1}).wantError(t, http.StatusOK, http.StatusNotFound,
		fmt.Sprintf("DatagridRow with id %d not found.", rows[0].ID))

	// Released, nothing of the datagrid changes.
	p = procedureIn(t, s, tok, shopfloor.ProcedureDraft)
	released, rcols, rrows := newDatagrid(t, s, tok, p.ID, []string{"STRING", "STRING"}, 2)
	mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
	review(t, s, tok, p.ID).must(t)
	mustStatus(t, s, tok, readProcedure(t, s, tok, p.ID), shopfloor.ProcedureReleased)
	before = datagridOf(t, s, tok, released.ID)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"updateDatagridColumn", updateColumnQuery, map[string]any{"id": rcols[0].ID, "etag": rcols[0].Etag, "header": "x"}},
		{"reorderDatagridColumn", reorderColumnQuery, map[string]any{"id": rcols[1].ID, "etag": rcols[1].Etag, "index": 0}},
		{"deleteDatagridColumn", deleteColumnQuery, map[string]any{"id": rcols[0].ID, "etag": rcols[0].Etag}},
		{"updateDatagridRow", updateRowQuery, map[string]any{"id": rrows[0].ID, "etag": rrows[0].Etag, "required": true}},
		{"reorderDatagridRow", reorderRowQuery, map[string]any{"id": rrows[1].ID, "etag": rrows[1].Etag, "index": 0}},
		{"deleteDatagridRow", deleteRowQuery, map[string]any{"id": rrows[0].ID, "etag": rrows[0].Etag}},
	} {
		t.Run("released "+tc.name, func(t *testing.T) {
			invalid(s.gql(t, tok, tc.query, tc.vars), "Procedure status is RELEASED: only a DRAFT procedure can be edited.")
		})
	}
	if after := datagridOf(t, s, tok, released.ID); after != before {
		t.Fatalf("refused edits changed a released datagrid:\n%s\n%s", before, after)
	}
}
