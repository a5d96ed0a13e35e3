package main

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// A redline over HTTP: a run step moved to REDLINE takes a new title,
// content and field, and a step added to the run starts in REDLINE; the run
// records every change while its procedure stays as it was. The roll-up
// puts REDLINE over HOLD, HOLD over FAILED; a step that is not REDLINE is
// not edited, and the refusal changes nothing.
func TestRunRedlines(t *testing.T) { onEngines(t, testRunRedlines) }

func testRunRedlines(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{fields: []fieldSpec{{typ: "STRING"}}}, {}, {}}})
	const procedureRead = `query($id: ID!) { procedure(id: $id) { _etag title steps { id _etag title content fields { id _etag name type } steps { id } } } }`
	procedureBefore := dataOf(t, s.gql(t, tok, procedureRead, map[string]any{"id": procID}).must(t))
	run := createRun(t, s, tok, procID)
	a, b, c := run.Steps[0], run.Steps[1], run.Steps[2]
	rollup := func(want string) {
		t.Helper()
		if got := readRunSelecting(t, s, tok, run.ID, lightRunSelection).Status; got != want {
			t.Fatalf("run %s, want %s", got, want)
		}
	}

	edit := map[string]any{"id": a.ID, "etag": a.Etag, "title": "Torque to 12 N·m", "content": "Use the new wrench."}
	s.gql(t, tok, updateRunStepQuery, map[string]any{"input": edit}).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "RunStep status is TODO: only a REDLINE step can be edited.")
	s.gql(t, tok, `mutation($step: ID!) { createRunStepField(input: {runStepId: $step, name: "Wrench", type: STRING}) { runStepField { id } } }`,
		map[string]any{"step": a.ID}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "RunStep status is TODO: only a REDLINE step can be edited.")
	if got := readRun(t, s, tok, run.ID); !reflect.DeepEqual(got, run) {
		t.Fatalf("refused edits changed the run: %+v", got)
	}

	// Failed, then on hold over it, then redlined over that.
	a = mustStepStatus(t, s, tok, a, "IN_PROGRESS")
	a = mustStepStatus(t, s, tok, a, "FAILED")
	rollup("FAILED")
	b = mustStepStatus(t, s, tok, b, "HOLD")
	rollup("HOLD")
	a = mustStepStatus(t, s, tok, a, "REDLINE")
	rollup("REDLINE")

	edit["etag"] = a.Etag
	var out struct{ RunStep runStepRef }
	s.gql(t, tok, updateRunStepQuery, map[string]any{"input": edit}).must(t).field(t, "updateRunStep", &out)
	var field struct{ RunStepField runFieldRef }
	s.gql(t, tok, `mutation($step: ID!) { createRunStepField(input: {runStepId: $step, name: "Wrench", type: STRING, required: true}) { runStepField { `+runFieldSelection+` } } }`,
		map[string]any{"step": a.ID}).must(t).field(t, "createRunStepField", &field)
	var added struct{ Step runStepRef }
	s.gql(t, tok, `mutation($run: ID!) { createRunStep(input: {runId: $run, title: "Re-inspect", content: "Added on the floor."}) { step { id _etag title status position } } }`,
		map[string]any{"run": run.ID}).must(t).field(t, "createRunStep", &added)
	if added.Step.Status != "REDLINE" || added.Step.Position != 3 {
		t.Fatalf("added step: %+v", added.Step)
	}

	var redlined struct {
		Steps []struct {
			Title, Content, Status string
			Fields                 []struct{ Name string }
		}
	}
	s.gql(t, tok, `query($id: ID!) { run(id: $id) { steps { title content status fields { name } } } }`, map[string]any{"id": run.ID}).must(t).field(t, "run", &redlined)
	if st := redlined.Steps[0]; st.Title != "Torque to 12 N·m" || st.Content != "Use the new wrench." || len(st.Fields) != 2 || st.Fields[1].Name != "Wrench" ||
		len(redlined.Steps) != 4 || redlined.Steps[3].Title != "Re-inspect" {
		t.Fatalf("the run does not record the redline: %+v", redlined)
	}
	if after := dataOf(t, s.gql(t, tok, procedureRead, map[string]any{"id": procID}).must(t)); after != procedureBefore {
		t.Fatalf("a redline changed the procedure:\n%s\nwas\n%s", after, procedureBefore)
	}

	// Back from REDLINE the run rolls up over what remains: the added step
	// is REDLINE still, then HOLD once it is done too.
	mustStepStatus(t, s, tok, out.RunStep, "TODO")
	rollup("REDLINE")
	mustStepStatus(t, s, tok, added.Step, "TODO")
	rollup("HOLD")
	mustStepStatus(t, s, tok, b, "TODO")
	mustStepStatus(t, s, tok, c, "IN_PROGRESS")
	rollup("IN_PROGRESS")
}
