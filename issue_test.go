package shopfloor

import (
	"testing"
)

// Every pair of statuses, with and without a disposition: the machine
// allows exactly the moves ION's UI offers, and names the rest.
func TestNextIssueStatus(t *testing.T) {
	t.Parallel()
	const (
		P, IP, IR, R = IssuePending, IssueInProgress, IssueInReview, IssueResolved
	)
	for _, tc := range []struct {
		from, to    string
		disposition bool
		want        string // the new status, or "" when refused with msg
		msg         string
	}{
		{P, P, false, P, ""},
		{P, IP, true, IP, ""},
		{P, IP, false, "", "Issue status cannot change from PENDING to IN_PROGRESS without a dispositionType."},
		{P, IR, true, "", "Issue status cannot change from PENDING to IN_REVIEW; from PENDING it may change to IN_PROGRESS."},
		{P, R, true, "", "Issue status cannot change from PENDING to RESOLVED; from PENDING it may change to IN_PROGRESS."},
		{IP, P, true, "", "Issue status cannot change from IN_PROGRESS to PENDING; from IN_PROGRESS it may change to IN_REVIEW."},
		{IP, IP, true, IP, ""},
		{IP, IR, true, IR, ""},
		{IP, R, true, "", "Issue status cannot change from IN_PROGRESS to RESOLVED; from IN_PROGRESS it may change to IN_REVIEW."},
		{IR, P, true, "", "Issue status cannot change from IN_REVIEW to PENDING; from IN_REVIEW it may change to IN_PROGRESS or RESOLVED."},
		{IR, IP, true, IP, ""},
		{IR, IR, true, IR, ""},
		{IR, R, true, R, ""},
		{R, P, true, "", "Issue status cannot change from RESOLVED to PENDING; from RESOLVED it may change to IN_PROGRESS."},
		{R, IP, true, IP, ""},
		{R, IR, true, "", "Issue status cannot change from RESOLVED to IN_REVIEW; from RESOLVED it may change to IN_PROGRESS."},
		{R, R, true, R, ""},
		{P, "CLOSED", true, "", "Issue status must be one of PENDING, IN_PROGRESS, IN_REVIEW, RESOLVED."},
	} {
		to := tc.to
		got, err := NextIssueStatus(tc.from, &to, IssueFacts{HasDisposition: tc.disposition})
		if msg := errText(err); got != tc.want || msg != tc.msg {
			t.Errorf("%s → %s (disposition %v): got %q %q, want %q %q", tc.from, tc.to, tc.disposition, got, msg, tc.want, tc.msg)
		}
	}
}

// A new disposition type sends the issue back to Pending (from which it
// may move on at once), and a Resolved issue keeps its fields until reopened.
func TestNextIssueStatusFacts(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		from  string
		to    *string
		facts IssueFacts
		want  string
		msg   string
	}{
		{"new disposition returns to pending", IssueInReview, nil, IssueFacts{HasDisposition: true, DispositionChanged: true}, IssuePending, ""},
		{"new disposition and onward", IssueInReview, s(IssueInProgress), IssueFacts{HasDisposition: true, DispositionChanged: true}, IssueInProgress, ""},
		{"no status given", IssueInProgress, nil, IssueFacts{HasDisposition: true, Edited: []string{"title"}}, IssueInProgress, ""},
		{"resolved keeps fields", IssueResolved, nil, IssueFacts{HasDisposition: true, Edited: []string{"causeCondition"}}, "",
			"Issue causeCondition cannot be changed while the issue is RESOLVED; reopen it first."},
		{"resolved keeps disposition", IssueResolved, nil, IssueFacts{HasDisposition: true, DispositionChanged: true}, "",
			"Issue dispositionType cannot be changed while the issue is RESOLVED; reopen it first."},
		{"reopen and edit", IssueResolved, s(IssueInProgress), IssueFacts{HasDisposition: true, Edited: []string{"title"}}, IssueInProgress, ""},
	} {
		got, err := NextIssueStatus(tc.from, tc.to, tc.facts)
		if msg := errText(err); got != tc.want || msg != tc.msg {
			t.Errorf("%s: got %q %q, want %q %q", tc.name, got, msg, tc.want, tc.msg)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
