package shopfloor

import (
	"strings"
	"testing"
)

func TestRunRollup(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		steps   string // space-separated statuses
		started bool
		want    string
	}{
		{"", false, RunTodo},
		{"TODO TODO", false, RunTodo},
		{"TODO TODO", true, RunInProgress},
		{"TODO IN_PROGRESS", true, RunInProgress},
		{"TODO COMPLETE", true, RunInProgress},
		{"COMPLETE COMPLETE", true, RunComplete},
		{"COMPLETE CANCELED", true, RunComplete},
		{"CANCELED CANCELED", false, RunTodo},
		{"TODO CANCELED", false, RunTodo},
		{"COMPLETE FAILED", true, RunFailed},
		{"IN_PROGRESS FAILED", true, RunFailed},
		{"FAILED HOLD", true, RunHold},
		{"IN_PROGRESS HOLD", true, RunHold},
		{"HOLD REDLINE", true, RunRedline},
		{"FAILED REDLINE", true, RunRedline},
		{"COMPLETE REDLINE", true, RunRedline},
		{"TODO REDLINE", false, RunRedline},
	} {
		if got := RunRollup(strings.Fields(c.steps), c.started); got != c.want {
			t.Errorf("RunRollup(%q, started %v) = %s, want %s", c.steps, c.started, got, c.want)
		}
	}
}

func TestRunStepTransition(t *testing.T) {
	t.Parallel()
	allowed := map[string]string{
		RunTodo:       "IN_PROGRESS, HOLD, REDLINE, CANCELED",
		RunInProgress: "COMPLETE, HOLD, FAILED, REDLINE, CANCELED",
		RunHold:       "TODO, IN_PROGRESS, CANCELED",
		RunRedline:    "TODO, CANCELED",
		RunFailed:     "REDLINE, HOLD, CANCELED",
		RunComplete:   "none: it is final",
		RunCanceled:   "none: it is final",
	}
	for _, from := range RunStepStatuses {
		for _, to := range RunStepStatuses {
			err := RunStepTransition(from, to, RunStepFacts{})
			ok := from == to || strings.Contains(", "+allowed[from]+",", " "+to+",")
			if ok && err != nil || !ok && (err == nil || err.Error() != "RunStep status cannot change from "+from+" to "+to+"; allowed from "+from+": "+allowed[from]+".") {
				t.Errorf("%s → %s: %v", from, to, err)
			}
		}
	}
	title := "Torque"
	up := RunStep{ID: 7, Title: &title, Status: RunInProgress}
	for _, c := range []struct {
		from, to string
		facts    RunStepFacts
		want     string
	}{
		{RunTodo, RunInProgress, RunStepFacts{Upstream: []RunStep{up}}, "RunStep status cannot be IN_PROGRESS: upstream step 7 (Torque) is IN_PROGRESS, not COMPLETE."},
		{RunHold, RunInProgress, RunStepFacts{Upstream: []RunStep{{ID: 8, Status: RunTodo}}}, "RunStep status cannot be IN_PROGRESS: upstream step 8 (untitled) is TODO, not COMPLETE."},
		{RunTodo, RunInProgress, RunStepFacts{Upstream: []RunStep{{ID: 8, Status: RunComplete}}}, ""},
		{RunInProgress, RunComplete, RunStepFacts{Fields: []RunStepField{{ID: 3, Name: "Serial", Required: true}}}, "RunStep status cannot be COMPLETE: required field 3 (Serial) has no value."},
		{RunInProgress, RunComplete, RunStepFacts{Fields: []RunStepField{{ID: 3, Name: "Serial", Required: true, Value: false}}}, ""},
		{RunInProgress, RunComplete, RunStepFacts{Fields: []RunStepField{{ID: 3, Name: "Serial", Required: true, NotApplicable: true}}}, ""},
		{RunInProgress, RunComplete, RunStepFacts{Fields: []RunStepField{{ID: 3, Name: "Note"}}}, ""},
	} {
		err := RunStepTransition(c.from, c.to, c.facts)
		if got := errText(err); got != c.want {
			t.Errorf("%s → %s with %+v: %q, want %q", c.from, c.to, c.facts, got, c.want)
		}
	}
}

func TestRunTransition(t *testing.T) {
	t.Parallel()
	title := "Inspect"
	todo := []RunStep{{ID: 4, Title: &title, Status: RunComplete}, {ID: 5, Title: &title, Status: RunTodo}}
	done := []RunStep{{ID: 4, Status: RunComplete}, {ID: 5, Status: RunCanceled}}
	for _, c := range []struct {
		from, to string
		steps    []RunStep
		want     string
	}{
		{RunTodo, RunInProgress, todo, ""},
		{RunTodo, RunTodo, todo, ""},
		{RunTodo, RunCanceled, todo, ""},
		{RunHold, RunCanceled, todo, ""},
		{RunInProgress, RunComplete, done, ""},
		{RunTodo, RunComplete, nil, ""},
		{RunInProgress, RunComplete, todo, "Run status cannot be COMPLETE: step 5 (Inspect) is TODO."},
		{RunHold, RunInProgress, todo, "Run status cannot change from HOLD to IN_PROGRESS."},
		{RunTodo, RunHold, todo, "Run status cannot be set to HOLD: it is derived from the run's steps; set it on a step."},
		{RunInProgress, RunRedline, todo, "Run status cannot be set to REDLINE: it is derived from the run's steps; set it on a step."},
		{RunInProgress, RunTodo, todo, "Run status cannot be set to TODO: it is derived from the run's steps; set it on a step."},
	} {
		if got := errText(RunTransition(c.from, c.to, c.steps)); got != c.want {
			t.Errorf("%s → %s: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func TestRunStepFieldValueCheck(t *testing.T) {
	t.Parallel()
	num := &RunStepField{ID: 2, RunStepID: 9, Name: "Torque", Type: "NUMBER"}
	sel := &RunStepField{ID: 3, RunStepID: 9, Name: "Size", Type: "SELECT", Options: []any{"10 mm", "13 mm"}, AllowNotApplicable: true}
	yes := true
	for _, c := range []struct {
		field  *RunStepField
		status string
		value  any
		na     *bool
		want   string
	}{
		{num, RunInProgress, "12.5", nil, ""},
		{num, RunInProgress, "twelve", nil, "RunStepField value must be a number for a NUMBER field."},
		{num, RunTodo, 12.5, nil, "RunStepField value can only be entered while its step is IN_PROGRESS; step 9 is TODO."},
		{num, RunComplete, 12.5, nil, "RunStepField value can only be entered while its step is IN_PROGRESS; step 9 is COMPLETE."},
		{num, RunInProgress, nil, &yes, "RunStepField notApplicable is not allowed for field 2 (Torque)."},
		{sel, RunInProgress, "13 mm", nil, ""},
		{sel, RunInProgress, "12 mm", nil, "RunStepField value must be one of the field's options for a SELECT field."},
		{sel, RunInProgress, nil, &yes, ""},
	} {
		_, err := RunStepFieldValueCheck(c.field, c.status, c.value, c.na)
		if got := errText(err); got != c.want {
			t.Errorf("%s %v in %s: %q, want %q", c.field.Type, c.value, c.status, got, c.want)
		}
	}
}
