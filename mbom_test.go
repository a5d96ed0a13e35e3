package shopfloor

import "testing"

func TestMBomTransition(t *testing.T) {
	t.Parallel()
	qe := []ApprovalRequirement{{RoleID: 7, RoleName: "QE", Count: 1}}
	items := MBomTransitionFacts{ID: 3, Items: 2}
	approved := MBomTransitionFacts{ID: 3, Items: 2, Requirements: qe, Approvals: []Approval{{UserID: 1, RoleIDs: []int64{7}}}}
	unapproved := MBomTransitionFacts{ID: 3, Items: 2, Requirements: qe, Approvals: []Approval{{UserID: 1, RoleIDs: []int64{8}}}}
	for _, tc := range []struct {
		from, to string
		facts    MBomTransitionFacts
		want     string
	}{
		{"DRAFT", "DRAFT", items, ""},
		{"DRAFT", "IN_REVIEW", items, ""},
		{"DRAFT", "IN_REVIEW", MBomTransitionFacts{ID: 3}, "MBom status cannot be IN_REVIEW: mBOM 3 has no items."},
		{"DRAFT", "RELEASED", approved, "MBom status cannot change from DRAFT to RELEASED; allowed from DRAFT: IN_REVIEW."},
		{"DRAFT", "ARCHIVED", items, "MBom status cannot change from DRAFT to ARCHIVED; allowed from DRAFT: IN_REVIEW."},
		{"IN_REVIEW", "DRAFT", items, ""},
		{"IN_REVIEW", "RELEASED", items, ""},
		{"IN_REVIEW", "RELEASED", approved, ""},
		{"IN_REVIEW", "RELEASED", unapproved, "Approval gate not satisfied: releasing mBOM 3 still needs 1 of 1 approvals from role 'QE'."},
		{"IN_REVIEW", "ARCHIVED", items, "MBom status cannot change from IN_REVIEW to ARCHIVED; allowed from IN_REVIEW: DRAFT, RELEASED."},
		{"RELEASED", "DRAFT", items, "MBom status cannot change from RELEASED to DRAFT; allowed from RELEASED: ARCHIVED."},
		{"RELEASED", "IN_REVIEW", items, "MBom status cannot change from RELEASED to IN_REVIEW; allowed from RELEASED: ARCHIVED."},
		{"RELEASED", "RELEASED", unapproved, ""},
		{"RELEASED", "ARCHIVED", items, ""},
		{"ARCHIVED", "DRAFT", items, "MBom status cannot change from ARCHIVED to DRAFT; allowed from ARCHIVED: none: it is final."},
		{"ARCHIVED", "RELEASED", approved, "MBom status cannot change from ARCHIVED to RELEASED; allowed from ARCHIVED: none: it is final."},
		{"ARCHIVED", "ARCHIVED", items, ""},
	} {
		if got := errText(MBomTransition(tc.from, tc.to, tc.facts)); got != tc.want {
			t.Errorf("%s → %s (%+v): got %q, want %q", tc.from, tc.to, tc.facts, got, tc.want)
		}
	}
}

func TestMBomEditable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ status, want string }{
		{"DRAFT", ""},
		{"IN_REVIEW", "MBomItem id 5: mBOM 2 is IN_REVIEW; only a DRAFT mBOM can be edited."},
		{"RELEASED", "MBomItem id 5: mBOM 2 is RELEASED; only a DRAFT mBOM can be edited."},
		{"ARCHIVED", "MBomItem id 5: mBOM 2 is ARCHIVED; only a DRAFT mBOM can be edited."},
	} {
		if got := errText(MBomEditable("MBomItem", "id", 5, 2, tc.status)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.status, got, tc.want)
		}
	}
	if got := errText(MBomReviewCheck("DRAFT", nil)); got != "MBomReview mbomId must name a version IN_REVIEW; it is DRAFT." {
		t.Errorf("review of a draft: %q", got)
	}
}
