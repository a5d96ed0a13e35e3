package main

import (
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// sessionRef is a session as the tests read it.
type sessionRef struct {
	ID       int64   `json:"id"`
	Etag     string  `json:"_etag"`
	CheckIn  string  `json:"checkIn"`
	CheckOut *string `json:"checkOut"`
	RunStep  struct {
		ID       int64 `json:"id"`
		RunID    int64 `json:"runId"`
		Position int   `json:"position"`
	} `json:"runStep"`
	CreatedBy struct{ Email string } `json:"createdBy"`
}

const sessionSelection = `id _etag checkIn checkOut runStep { id runId position } createdBy { email }`

func checkIn(t *testing.T, s *testServer, tok string, stepID int64) gqlResponse {
	t.Helper()
	return s.gql(t, tok, `mutation($input: CheckInInput!) { checkIn(input: $input) { session { `+sessionSelection+` } } }`,
		map[string]any{"input": map[string]any{"runStepId": stepID}})
}

func mustCheckIn(t *testing.T, s *testServer, tok string, stepID int64) sessionRef {
	t.Helper()
	var out struct{ Session sessionRef }
	checkIn(t, s, tok, stepID).must(t).field(t, "checkIn", &out)
	return out.Session
}

func updateSession(t *testing.T, s *testServer, tok string, input map[string]any) gqlResponse {
	t.Helper()
	return s.gql(t, tok, `mutation UpdateSession($input: UpdateSessionInput!) { updateSession(input: $input) { session { `+sessionSelection+` } } }`,
		map[string]any{"input": input})
}

// stepSessions reads a step's sessions, newest last.
func stepSessions(t *testing.T, s *testServer, tok string, stepID int64) []sessionRef {
	t.Helper()
	var conn struct {
		Edges []struct{ Node sessionRef }
	}
	s.gql(t, tok, `query($step: ID!) { sessions(filters: {runStepId: {eq: $step}}) { edges { node { `+sessionSelection+` } } } }`,
		map[string]any{"step": stepID}).must(t).field(t, "sessions", &conn)
	out := []sessionRef{}
	for _, e := range conn.Edges {
		out = append(out, e.Node)
	}
	return out
}

func myID(t *testing.T, s *testServer, tok string) int64 {
	t.Helper()
	var me struct{ ID int64 }
	s.gql(t, tok, `{ me { id } }`, nil).must(t).field(t, "me", &me)
	return me.ID
}

// Time tracking over HTTP: a person checks in to a step in progress, once
// at a time; checks out after checking in; sessions(last:) reads the
// newest; a step that stops being in progress checks its people out; the
// refusals change nothing.
func TestSessions(t *testing.T) { onEngines(t, testSessions) }

func testSessions(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}, {}}})
	run := createRunSelecting(t, s, tok, procID, lightRunSelection)
	step := run.Steps[0]
	invalid := func(r gqlResponse, msg string) {
		t.Helper()
		r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, msg)
	}

	invalid(checkIn(t, s, tok, step.ID), fmt.Sprintf("Session runStepId must be a step IN_PROGRESS to check in to; step %d is TODO.", step.ID))
	checkIn(t, s, tok, 999999999).wantError(t, http.StatusOK, http.StatusNotFound, "RunStep with id 999999999 not found.")
	step = mustStepStatus(t, s, tok, step, "IN_PROGRESS")
	se := mustCheckIn(t, s, tok, step.ID)
	signer := "service-account-" + s.apiKey(t, 0, shopfloor.RoleAdmin).ClientID
	if se.CheckOut != nil || se.RunStep.ID != step.ID || se.RunStep.RunID != run.ID || se.RunStep.Position != 0 || se.CreatedBy.Email != signer {
		t.Fatalf("session: %+v", se)
	}
	invalid(checkIn(t, s, tok, step.ID), fmt.Sprintf("Session runStepId %d already has an open check-in by user %d: one open check-in per user and step; check out first.",
		step.ID, myID(t, s, tok)))
	if got := stepSessions(t, s, tok, step.ID); !reflect.DeepEqual(got, []sessionRef{se}) {
		t.Fatalf("sessions after a refused check-in: %+v", got)
	}

	checkedIn, err := time.Parse(time.RFC3339Nano, se.CheckIn)
	if err != nil {
		t.Fatal(err)
	}
	before := checkedIn.Add(-time.Minute).Format(time.RFC3339)
	invalid(updateSession(t, s, tok, map[string]any{"id": se.ID, "etag": se.Etag, "checkOut": before}), "Session checkOut must be after checkIn.")
	invalid(s.gql(t, tok, `mutation($id: ID!, $etag: String, $at: DateTime) { checkOut(input: {id: $id, etag: $etag, checkOut: $at}) { session { id } } }`,
		map[string]any{"id": se.ID, "etag": se.Etag, "at": before}), "Session checkOut must be after checkIn.")
	updateSession(t, s, tok, map[string]any{"id": se.ID, "etag": "0123456789abcdef0123456789abcdef", "checkIn": before}).
		wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	readOnly := s.token(t, 0, shopfloor.RoleReadOnly)
	updateSession(t, s, readOnly, map[string]any{"id": se.ID, "etag": se.Etag, "checkIn": before}).
		wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Session Event.")
	if got := stepSessions(t, s, tok, step.ID); !reflect.DeepEqual(got, []sessionRef{se}) {
		t.Fatalf("refused updates changed the session: %+v, was %+v", got, se)
	}

	// Corrected: checked in a minute earlier, out now.
	var out struct{ Session sessionRef }
	updateSession(t, s, tok, map[string]any{"id": se.ID, "_etag": se.Etag, "checkIn": before}).must(t).field(t, "updateSession", &out)
	if out.Session.CheckIn != before && out.Session.CheckIn[:19] != before[:19] || out.Session.Etag == se.Etag {
		t.Fatalf("corrected session: %+v", out.Session)
	}
	se = out.Session
	s.gql(t, tok, `mutation($id: ID!, $etag: String) { checkOut(input: {id: $id, etag: $etag}) { session { `+sessionSelection+` } } }`,
		map[string]any{"id": se.ID, "etag": se.Etag}).must(t).field(t, "checkOut", &out)
	if out.Session.CheckOut == nil {
		t.Fatalf("checked out: %+v", out.Session)
	}
	se = out.Session
	invalid(s.gql(t, tok, `mutation($id: ID!, $etag: String) { checkOut(input: {id: $id, etag: $etag}) { session { id } } }`,
		map[string]any{"id": se.ID, "etag": se.Etag}), fmt.Sprintf("Session checkOut is already set: session %d is checked out.", se.ID))

	// Checked in again; the step put on hold checks its people out.
	again := mustCheckIn(t, s, tok, step.ID)
	var last struct {
		Edges []struct{ Node sessionRef }
	}
	s.gql(t, tok, `query($step: ID!) { sessions(filters: {runStepId: {eq: $step}}, last: 1) { edges { node { `+sessionSelection+` } } } }`,
		map[string]any{"step": step.ID}).must(t).field(t, "sessions", &last)
	if len(last.Edges) != 1 || !reflect.DeepEqual(last.Edges[0].Node, again) {
		t.Fatalf("sessions(last: 1): %+v, want %+v", last.Edges, again)
	}
	step = mustStepStatus(t, s, tok, step, "HOLD")
	got := stepSessions(t, s, tok, step.ID)
	if len(got) != 2 || !reflect.DeepEqual(got[0], se) || got[1].CheckOut == nil || got[1].Etag == again.Etag {
		t.Fatalf("sessions after the step left IN_PROGRESS: %+v", got)
	}
	invalid(checkIn(t, s, tok, step.ID), fmt.Sprintf("Session runStepId must be a step IN_PROGRESS to check in to; step %d is HOLD.", step.ID))
}

// Many clients of one person check in to one step at once: exactly one
// check-in succeeds, every other is the rule's 422, and one session is
// stored.
func TestConcurrentCheckIns(t *testing.T) { onEngines(t, testConcurrentCheckIns) }

func testConcurrentCheckIns(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
	run := createRunSelecting(t, s, tok, procID, lightRunSelection)
	step := mustStepStatus(t, s, tok, run.Steps[0], "IN_PROGRESS")
	refused := fmt.Sprintf("Session runStepId %d already has an open check-in by user %d: one open check-in per user and step; check out first.",
		step.ID, myID(t, s, tok))
	const clients = 8
	results := make([]gqlResponse, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() { results[i] = checkIn(t, s, tok, step.ID) })
	}
	wg.Wait()
	ok := 0
	for _, r := range results {
		if len(r.Errors) == 0 {
			ok++
			continue
		}
		r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, refused)
	}
	if got := stepSessions(t, s, tok, step.ID); ok != 1 || len(got) != 1 {
		t.Fatalf("%d check-ins succeeded, %d sessions stored; want 1 and 1", ok, len(got))
	}
}
