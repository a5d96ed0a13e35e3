package shopfloor

import (
	"testing"
)

func TestProcedureTransition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ from, to, want string }{
		{"DRAFT", "DRAFT", ""},
		{"DRAFT", "IN_REVIEW", ""},
		{"DRAFT", "RELEASED", "Procedure status cannot change from DRAFT to RELEASED; allowed from DRAFT: IN_REVIEW, ARCHIVED."},
		{"DRAFT", "ARCHIVED", ""},
		{"IN_REVIEW", "DRAFT", ""},
		{"IN_REVIEW", "IN_REVIEW", ""},
		{"IN_REVIEW", "RELEASED", ""},
		{"IN_REVIEW", "ARCHIVED", "Procedure status cannot change from IN_REVIEW to ARCHIVED; allowed from IN_REVIEW: DRAFT, RELEASED."},
		{"RELEASED", "DRAFT", "Procedure status cannot change from RELEASED to DRAFT; allowed from RELEASED: ARCHIVED."},
		{"RELEASED", "IN_REVIEW", "Procedure status cannot change from RELEASED to IN_REVIEW; allowed from RELEASED: ARCHIVED."},
		{"RELEASED", "RELEASED", ""},
		{"RELEASED", "ARCHIVED", ""},
		{"ARCHIVED", "DRAFT", "Procedure status cannot change from ARCHIVED to DRAFT; allowed from ARCHIVED: none: it is final."},
		{"ARCHIVED", "IN_REVIEW", "Procedure status cannot change from ARCHIVED to IN_REVIEW; allowed from ARCHIVED: none: it is final."},
		{"ARCHIVED", "RELEASED", "Procedure status cannot change from ARCHIVED to RELEASED; allowed from ARCHIVED: none: it is final."},
		{"ARCHIVED", "ARCHIVED", ""},
	} {
		if got := errText(ProcedureTransition(tc.from, tc.to)); got != tc.want {
			t.Errorf("%s → %s: got %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestProcedureRules(t *testing.T) {
	t.Parallel()
	one, two := int64(1), int64(2)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"draft editable", ProcedureEditable("DRAFT"), ""},
		{"review read-only", ProcedureEditable("IN_REVIEW"), "Procedure status is IN_REVIEW: only a DRAFT procedure can be edited."},
		{"released read-only", ProcedureEditable("RELEASED"), "Procedure status is RELEASED: only a DRAFT procedure can be edited."},
		{"depth 5", StepDepth(5), ""},
		{"depth 6", StepDepth(6), "Step parentId would nest steps 6 levels deep; at most 5 are allowed."},
		{"move to the front", StepMoveCheck(0, 3, false), ""},
		{"move to the end", StepMoveCheck(3, 3, false), ""},
		{"move past the end", StepMoveCheck(4, 3, false), "Step position must be between 0 and 3."},
		{"move before the front", StepMoveCheck(-1, 3, false), "Step position must be between 0 and 3."},
		{"move under itself", StepMoveCheck(0, 0, true), "Step parentId must not be the step itself or a step under it."},
		{"edge", StepEdgeCheck(3, 4, &one, &one, false), ""},
		{"edge to itself", StepEdgeCheck(3, 3, &one, &one, false), "StepEdge upstreamStepId must not be the step itself."},
		{"edge across procedures", StepEdgeCheck(3, 4, &one, &two, false), "StepEdge upstreamStepId must be a step of the same procedure."},
		{"edge to a standard step", StepEdgeCheck(3, 4, &one, nil, false), "StepEdge upstreamStepId must be a step of the same procedure."},
		{"edge closing a cycle", StepEdgeCheck(3, 4, &one, &one, true), "StepEdge upstreamStepId would make a cycle: step 4 already depends on step 3."},
		{"review in review", ReviewCheck("IN_REVIEW", nil), ""},
		{"review of a draft", ReviewCheck("DRAFT", nil), "Review procedureId must name a procedure IN_REVIEW; it is DRAFT."},
	} {
		if got := errText(tc.err); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDatagridValueCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ     string
		options any
		value   any
		want    string
	}{
		{"NUMBER", nil, 12.5, ""},
		{"NUMBER", nil, "12.5", ""},
		{"NUMBER", nil, "many", "DatagridValue value must be a number for a NUMBER column."},
		{"BOOLEAN", nil, true, ""},
		{"BOOLEAN", nil, "yes", "DatagridValue value must be true or false for a BOOLEAN column."},
		{"SELECT", []any{"A", "B"}, "B", ""},
		{"SELECT", []any{"A", "B"}, "C", "DatagridValue value must be one of the column's options for a SELECT column."},
		{"MULTISELECT", []any{"A", "B"}, []any{"A", "B"}, ""},
		{"MULTISELECT", []any{"A", "B"}, []any{"A", "C"}, "DatagridValue value must be a list of the column's options for a MULTISELECT column."},
		{"DATETIME", nil, "2026-01-31", ""},
		{"DATETIME", nil, "tomorrow", "DatagridValue value must be an ISO 8601 date such as 2026-01-31."},
		{"FILE_ATTACHMENT", nil, float64(42), ""},
		{"FILE_ATTACHMENT", nil, "x", "DatagridValue value must be a file attachment id for a FILE_ATTACHMENT column."},
		{"STRING", nil, "M6", ""},
		{"STRING", nil, 6.0, "DatagridValue value must be a string for a STRING column."},
		{"STRING", nil, nil, ""},
	} {
		_, err := DatagridValueCheck(&DatagridColumn{Type: tc.typ, Options: tc.options}, tc.value)
		if got := errText(err); got != tc.want {
			t.Errorf("%s %v: got %q, want %q", tc.typ, tc.value, got, tc.want)
		}
	}
}
