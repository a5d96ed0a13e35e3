package main

import (
	"slices"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// Part.runs and PartInventory.runs list the runs building a part and a unit,
// oldest first; a unit without runs has an empty list.
func TestPartAndInventoryRuns(t *testing.T) { onEngines(t, testPartAndInventoryRuns) }

func testPartAndInventoryRuns(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var part struct{ Part struct{ ID int64 } }
	s.gql(t, tok, `mutation($pn: String!) { createPart(input: {partNumber: $pn}) { part { id } } }`, map[string]any{"pn": unique("RUNS")}).
		must(t).field(t, "createPart", &part)
	unit := func() int64 {
		var created struct{ PartInventory struct{ ID int64 } }
		s.gql(t, tok, `mutation($p: ID!) { createPartInventory(input: {partId: $p, quantity: 1}) { partInventory { id } } }`,
			map[string]any{"p": part.Part.ID}).must(t).field(t, "createPartInventory", &created)
		return created.PartInventory.ID
	}
	first, second, idle := unit(), unit(), unit()
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
	start := func(unitID int64) int64 {
		var out struct{ Run runRef }
		s.gql(t, tok, `mutation($p: ID!, $u: ID) { createRun(input: {procedureId: $p, partInventoryId: $u}) { run { `+lightRunSelection+` } } }`,
			map[string]any{"p": procID, "u": unitID}).must(t).field(t, "createRun", &out)
		return out.Run.ID
	}
	runA, runB, runC := start(first), start(second), start(first)

	type runIDs []struct{ ID int64 }
	flat := func(rs runIDs) []int64 {
		out := []int64{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	type withRuns struct{ Runs runIDs }
	var gotPart, gotA, gotB, gotIdle withRuns
	r := s.gql(t, tok, `query($p: ID!, $a: ID!, $b: ID!, $i: ID!) { part(id: $p) { runs { id } }
		a: partInventory(id: $a) { runs { id } } b: partInventory(id: $b) { runs { id } } idle: partInventory(id: $i) { runs { id } } }`,
		map[string]any{"p": part.Part.ID, "a": first, "b": second, "i": idle}).must(t)
	r.field(t, "part", &gotPart)
	r.field(t, "a", &gotA)
	r.field(t, "b", &gotB)
	r.field(t, "idle", &gotIdle)
	for _, c := range []struct {
		name      string
		got, want []int64
	}{
		{"part", flat(gotPart.Runs), []int64{runA, runB, runC}},
		{"first unit", flat(gotA.Runs), []int64{runA, runC}},
		{"second unit", flat(gotB.Runs), []int64{runB}},
		{"idle unit", flat(gotIdle.Runs), []int64{}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s runs %v, want %v", c.name, c.got, c.want)
		}
	}
}
