package shopfloor

import (
	"testing"
)

// A run step's cell takes a value typed by its column while the step is
// IN_PROGRESS, notApplicable where its row allows it, a SIGNOFF with a role
// from a holder of it.
func TestRunDatagridValueCheck(t *testing.T) {
	t.Parallel()
	step, role := int64(7), int64(3)
	number := &DatagridColumn{ID: 1, Type: "NUMBER"}
	signoff := &DatagridColumn{ID: 2, Type: "SIGNOFF", SignoffRoleID: &role}
	strict := &DatagridRow{ID: 10, RunStepID: &step}
	lenient := &DatagridRow{ID: 11, RunStepID: &step, AllowNotApplicable: true}
	yes := true
	for _, tc := range []struct {
		name   string
		col    *DatagridColumn
		row    *DatagridRow
		status string
		value  any
		na     *bool
		holds  bool
		want   any
		err    string
	}{
		{"a number", number, strict, RunInProgress, "2.5", nil, false, 2.5, ""},
		{"cleared", number, strict, RunInProgress, nil, nil, false, nil, ""},
		{"not a number", number, strict, RunInProgress, "x", nil, false, nil, "DatagridValue value must be a number for a NUMBER column."},
		{"step not started", number, strict, RunTodo, 1.0, nil, false, nil, "DatagridValue value can only be entered while its step is IN_PROGRESS; step 7 is TODO."},
		{"step complete", number, strict, RunComplete, 1.0, nil, false, nil, "DatagridValue value can only be entered while its step is IN_PROGRESS; step 7 is COMPLETE."},
		{"not applicable refused", number, strict, RunInProgress, nil, &yes, false, nil, "DatagridValue notApplicable is not allowed for row 10."},
		{"not applicable", number, lenient, RunInProgress, nil, &yes, false, nil, ""},
		{"signed by a holder", signoff, strict, RunInProgress, true, nil, true, true, ""},
		{"signed by another", signoff, strict, RunInProgress, true, nil, false, nil, "DatagridValue value must be signed off by a holder of role 3."},
		{"sign-off without a role", &DatagridColumn{Type: "SIGNOFF"}, strict, RunInProgress, true, nil, false, true, ""},
	} {
		got, err := RunDatagridValueCheck(tc.col, tc.row, tc.status, tc.value, tc.na, tc.holds)
		if msg := errText(err); msg != tc.err || (err == nil && got != tc.want) {
			t.Errorf("%s: got %v, %q; want %v, %q", tc.name, got, msg, tc.want, tc.err)
		}
	}
}
