package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

func TestStepFieldValidations(t *testing.T) { onEngines(t, testStepFieldValidations) }

// Validations are kept as given, replaced by an update, refused when one
// names no function, and copied with the step.
func testStepFieldValidations(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	step := newStep(t, s, tok, p.ID, nil)
	var field struct {
		StepField struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	s.gql(t, tok, `mutation($step: ID!) { createStepField(input: {stepId: $step, name: "Torque", type: NUMBER, validations: [{functionId: 7, fieldId: 3}]}) { stepField { id _etag } } }`,
		map[string]any{"step": step.ID}).must(t).field(t, "createStepField", &field)
	read := `query($id: ID!) { procedure(id: $id) { steps { fields { validations { functionId fieldId } } } } }`
	if got := s.gql(t, tok, read, map[string]any{"id": p.ID}).must(t).Raw; !strings.Contains(got, `"validations":[{"functionId":7,"fieldId":3}]`) {
		t.Fatalf("created: %s", got)
	}
	many := make([]map[string]any, 17)
	for i := range many {
		many[i] = map[string]any{"functionId": 1}
	}
	s.gql(t, tok, `mutation($id: ID!, $etag: String!) { updateStepField(input: {id: $id, etag: $etag, validations: {functionId: 9}}) { stepField { id } } }`,
		map[string]any{"id": field.StepField.ID, "etag": field.StepField.Etag}).must(t)
	s.gql(t, tok, `mutation($step: ID!, $v: [StepFieldValidationInput!]) { createStepField(input: {stepId: $step, name: "Many", type: NUMBER, validations: $v}) { stepField { id } } }`,
		map[string]any{"step": step.ID, "v": many}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "StepField validations must have at most 16 entries.")
	s.gql(t, tok, `mutation($step: ID!, $p: ID) { copyStep(input: {stepId: $step, procedureId: $p}) { step { id } } }`, map[string]any{"step": step.ID, "p": p.ID}).must(t)
	got := s.gql(t, tok, read, map[string]any{"id": p.ID}).must(t).Raw
	if want := `{"validations":[{"functionId":9,"fieldId":null}]}`; strings.Count(got, want) != 2 {
		t.Fatalf("updated and copied: %s", got)
	}
}
