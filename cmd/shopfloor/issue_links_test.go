package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// An issue links the run and run step it was found on: the run defaults to
// the step's, another run is refused, both read back nested (and filter the
// issues list); another organization's run or step is not found, and each
// refusal changes nothing.
func TestIssueRunLinks(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin, other := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
		run, second := oneStepRun(t, s, admin), oneStepRun(t, s, admin)
		step := run.Steps[0].ID
		const fields = `id _etag runId runStepId run { id entityId } runStep { id entityId }`
		type linked struct {
			ID        int64  `json:"id"`
			Etag      string `json:"_etag"`
			RunID     *int64 `json:"runId"`
			RunStepID *int64 `json:"runStepId"`
			Run       *struct{ ID, EntityID int64 }
			RunStep   *struct{ ID, EntityID int64 }
		}
		var created struct{ Issue linked }
		s.gql(t, admin, `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { `+fields+` } } }`,
			map[string]any{"input": map[string]any{"title": unique("found"), "runStepId": fmt.Sprint(step)}}).must(t).field(t, "createIssue", &created)
		issue := created.Issue
		if issue.RunID == nil || *issue.RunID != run.ID || issue.RunStepID == nil || *issue.RunStepID != step ||
			issue.Run == nil || issue.Run.EntityID != run.EntityID || issue.RunStep == nil || issue.RunStep.EntityID != run.Steps[0].EntityID {
			t.Fatalf("links: %+v", issue)
		}
		var found struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		s.gql(t, admin, `query($run: ID!) { issues(filters: {runId: {eq: $run}}) { edges { node { id } } } }`, map[string]any{"run": run.ID}).
			must(t).field(t, "issues", &found)
		if len(found.Edges) != 1 || found.Edges[0].Node.ID != issue.ID {
			t.Fatalf("issues of run %d: %+v", run.ID, found)
		}
		wrongRun := fmt.Sprintf("Issue runId must be the run of runStepId %d (run %d).", step, run.ID)
		for _, refusal := range []struct {
			token  string
			input  map[string]any
			status int
			want   string
		}{
			{admin, map[string]any{"runId": second.ID}, http.StatusUnprocessableEntity, wrongRun}, // the step stays, so the run must be its
			{admin, map[string]any{"runId": second.ID, "runStepId": step}, http.StatusUnprocessableEntity, wrongRun},
			{admin, map[string]any{"runStepId": 1 << 40}, http.StatusNotFound, fmt.Sprintf("RunStep with id %d not found.", int64(1<<40))},
			{other, map[string]any{}, http.StatusNotFound, fmt.Sprintf("Issue with id %d not found.", issue.ID)},
		} {
			input := map[string]any{"id": issue.ID, "etag": issue.Etag}
			for k, v := range refusal.input {
				input[k] = v
			}
			s.gql(t, refusal.token, updateIssue, map[string]any{"input": input}).wantError(t, http.StatusOK, refusal.status, refusal.want)
			var now linked
			s.gql(t, admin, `query($id: ID!) { issue(id: $id) { `+fields+` } }`, map[string]any{"id": issue.ID}).must(t).field(t, "issue", &now)
			if now.Etag != issue.Etag || *now.RunID != run.ID || *now.RunStepID != step {
				t.Fatalf("refused %v changed the issue: %+v", refusal.input, now)
			}
		}
		var moved struct{ Issue linked }
		s.gql(t, admin, `mutation($input: UpdateIssueInput!) { updateIssue(input: $input) { issue { `+fields+` } } }`,
			map[string]any{"input": map[string]any{"id": issue.ID, "etag": issue.Etag, "runStepId": second.Steps[0].ID}}).must(t).field(t, "updateIssue", &moved)
		if *moved.Issue.RunID != second.ID || *moved.Issue.RunStepID != second.Steps[0].ID {
			t.Fatalf("moved to the second run's step: %+v", moved.Issue)
		}
		for _, input := range []map[string]any{{"runId": run.ID}, {"runStepId": step}} {
			input["title"] = unique("foreign")
			key, id := "Run", run.ID
			if _, ok := input["runStepId"]; ok {
				key, id = "RunStep", step
			}
			s.gql(t, other, `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id } } }`, map[string]any{"input": input}).
				wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("%s with id %d not found.", key, id))
			var none struct {
				Edges []struct{ Node struct{ ID int64 } }
			}
			s.gql(t, other, `query($title: String) { issues(filters: {title: {eq: $title}}) { edges { node { id } } } }`,
				map[string]any{"title": input["title"]}).must(t).field(t, "issues", &none)
			if len(none.Edges) != 0 {
				t.Fatalf("a refused issue was made: %+v", none)
			}
		}
	})
}
