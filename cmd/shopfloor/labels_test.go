package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// labelRef is a label as the tests read it.
type labelRef struct {
	ID    int64  `json:"id"`
	Value string `json:"value"`
}

// labeledKind makes an entity of one kind that has an entityId and reads its
// labels back.
type labeledKind struct {
	kind string
	// make creates one and returns its entityId and the reader of its
	// labels.
	make func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef)
}

// readLabels runs query with $id and picks the labels out of data.<root>.
func readLabels(t *testing.T, s *testServer, tok, query, root string, id int64, pick func(raw []byte) []labelRef) func() []labelRef {
	return func() []labelRef {
		t.Helper()
		r := s.gql(t, tok, query, map[string]any{"id": id}).must(t)
		return pick(r.Data[root])
	}
}

// byRoot reads root(id: id) { labels { id value } }.
func byRoot(t *testing.T, s *testServer, tok, root string, id int64) func() []labelRef {
	return readLabels(t, s, tok, `query($id: ID!) { `+root+`(id: $id) { labels { id value } } }`, root, id, func(raw []byte) []labelRef {
		var out struct{ Labels []labelRef }
		decode(t, raw, &out)
		return out.Labels
	})
}

var labeledKinds = []labeledKind{
	{"Location", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		var out struct{ Location struct{ ID, EntityID int64 } }
		s.gql(t, tok, `mutation($n: String!) { createLocation(input: {name: $n}) { location { id entityId } } }`,
			map[string]any{"n": unique("Shelf")}).must(t).field(t, "createLocation", &out)
		return out.Location.EntityID, byRoot(t, s, tok, "location", out.Location.ID)
	}},
	{"Part", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		var out struct{ Part struct{ ID, EntityID int64 } }
		s.gql(t, tok, `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id entityId } } }`,
			map[string]any{"n": unique("LBL")}).must(t).field(t, "createPart", &out)
		return out.Part.EntityID, byRoot(t, s, tok, "part", out.Part.ID)
	}},
	{"Issue", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		issue := createIssue(t, s, tok, map[string]any{"title": unique("labeled")})
		return issue.EntityID, byRoot(t, s, tok, "issue", issue.ID)
	}},
	{"Step", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		var out struct{ Step struct{ ID, EntityID int64 } }
		s.gql(t, tok, `mutation($p: ID!, $t: String!) { createStep(input: {procedureId: $p, title: $t}) { step { id entityId } } }`,
			map[string]any{"p": newProcedure(t, s, tok).ID, "t": unique("Step")}).must(t).field(t, "createStep", &out)
		return out.Step.EntityID, byRoot(t, s, tok, "step", out.Step.ID)
	}},
	{"Run", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		run := oneStepRun(t, s, tok)
		return run.EntityID, byRoot(t, s, tok, "run", run.ID)
	}},
	{"RunStep", func(t *testing.T, s *testServer, tok string) (int64, func() []labelRef) {
		run := oneStepRun(t, s, tok)
		return run.Steps[0].EntityID, readLabels(t, s, tok, `query($id: ID!) { run(id: $id) { steps { labels { id value } } } }`, "run", run.ID,
			func(raw []byte) []labelRef {
				var out struct{ Steps []struct{ Labels []labelRef } }
				decode(t, raw, &out)
				return out.Steps[0].Labels
			})
	}},
}

// labeledRun is a run of a released one-step procedure, with the entityIds
// of the run and its step.
func oneStepRun(t *testing.T, s *testServer, tok string) (run struct {
	ID, EntityID int64
	Steps        []struct{ ID, EntityID int64 }
}) {
	t.Helper()
	procedure, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
	var out struct {
		Run struct {
			ID, EntityID int64
			Steps        []struct{ ID, EntityID int64 }
		}
	}
	s.gql(t, tok, `mutation($p: ID!) { createRun(input: {procedureId: $p}) { run { id entityId steps { id entityId } } } }`,
		map[string]any{"p": procedure}).must(t).field(t, "createRun", &out)
	return out.Run
}

// decode decodes raw JSON into v.
func decode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
}

func createLabel(t *testing.T, s *testServer, tok string) labelRef {
	t.Helper()
	var out struct{ Label labelRef }
	s.gql(t, tok, `mutation($v: String!) { createLabel(input: {value: $v}) { label { id value } } }`,
		map[string]any{"v": unique("Label")}).must(t).field(t, "createLabel", &out)
	return out.Label
}

const (
	addLabelToItem      = `mutation($input: LabelToItemInput!) { addLabelToItem(input: $input) { entityId labelId } }`
	removeLabelFromItem = `mutation($input: LabelToItemInput!) { removeLabelFromItem(input: $input) { entityId labelId } }`
)

func labelItem(t *testing.T, s *testServer, tok, mutation string, entityID, labelID int64) gqlResponse {
	t.Helper()
	return s.gql(t, tok, mutation, map[string]any{"input": map[string]any{"entityId": entityID, "labelId": fmt.Sprint(labelID)}})
}

// For every kind of entity with an entityId, the entityId round-trips: a
// label put on it by addLabelToItem (the flat payload echoing the entityId)
// reads back on the entity, twice is once, removeLabelFromItem takes it off;
// another organization's entity or label, and an entityId that names
// nothing, are not found and change nothing.
func TestLabelsOnAnyEntity(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin, other := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
		for _, k := range labeledKinds {
			t.Run(k.kind, func(t *testing.T) {
				entityID, labels := k.make(t, s, admin)
				label, second := createLabel(t, s, admin), createLabel(t, s, admin)
				for range 2 {
					var out struct{ EntityID, LabelID int64 }
					labelItem(t, s, admin, addLabelToItem, entityID, label.ID).must(t).field(t, "addLabelToItem", &out)
					if out.EntityID != entityID || out.LabelID != label.ID {
						t.Fatalf("payload %+v, want entityId %d labelId %d", out, entityID, label.ID)
					}
				}
				labelItem(t, s, admin, addLabelToItem, entityID, second.ID).must(t)
				if got, want := labels(), []labelRef{label, second}; !reflect.DeepEqual(got, want) {
					t.Fatalf("labels %+v, want %+v", got, want)
				}
				foreign := createLabel(t, s, other)
				labelItem(t, s, other, addLabelToItem, entityID, foreign.ID).
					wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Entity with id %d not found.", entityID))
				labelItem(t, s, other, removeLabelFromItem, entityID, foreign.ID).
					wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Entity with id %d not found.", entityID))
				labelItem(t, s, admin, addLabelToItem, entityID, foreign.ID).
					wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Label with id %d not found.", foreign.ID))
				labelItem(t, s, admin, removeLabelFromItem, entityID, label.ID).must(t)
				if got, want := labels(), []labelRef{second}; !reflect.DeepEqual(got, want) {
					t.Fatalf("after removeLabelFromItem: labels %+v, want %+v", got, want)
				}
			})
		}
		label := createLabel(t, s, admin)
		labelItem(t, s, admin, addLabelToItem, 1<<40, label.ID).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Entity with id %d not found.", int64(1<<40)))
	})
}

// A deleted entity's entityId names nothing a label goes on.
func TestLabelOnDeletedEntity(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		var out struct {
			Location struct {
				ID, EntityID int64
				Etag         string `json:"_etag"`
			}
		}
		s.gql(t, admin, `mutation($n: String!) { createLocation(input: {name: $n}) { location { id entityId _etag } } }`,
			map[string]any{"n": unique("Gone")}).must(t).field(t, "createLocation", &out)
		s.gql(t, admin, `mutation($id: ID!, $etag: String!) { deleteLocation(id: $id, etag: $etag) { id } }`,
			map[string]any{"id": out.Location.ID, "etag": out.Location.Etag}).must(t)
		labelItem(t, s, admin, addLabelToItem, out.Location.EntityID, createLabel(t, s, admin).ID).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Entity with id %d not found.", out.Location.EntityID))
	})
}
