package shopfloor

import (
	"testing"
	"time"
)

func TestSessionRules(t *testing.T) {
	t.Parallel()
	in := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := in.Add(d); return &v }
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"check in to a step in progress", SessionCheckIn(7, RunInProgress), ""},
		{"check in to a step to do", SessionCheckIn(7, RunTodo), "Session runStepId must be a step IN_PROGRESS to check in to; step 7 is TODO."},
		{"check in to a complete step", SessionCheckIn(7, RunComplete), "Session runStepId must be a step IN_PROGRESS to check in to; step 7 is COMPLETE."},
		{"check out an open session", SessionCheckOut(&Session{ID: 3}), ""},
		{"check out a closed session", SessionCheckOut(&Session{ID: 3, CheckOut: at(time.Hour)}), "Session checkOut is already set: session 3 is checked out."},
		{"open", SessionTimes(in, nil), ""},
		{"out after in", SessionTimes(in, at(time.Minute)), ""},
		{"out at in", SessionTimes(in, at(0)), ""},
		{"out before in", SessionTimes(in, at(-time.Second)), "Session checkOut must be after checkIn."},
	} {
		if got := errText(c.err); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
