package shopfloor

import "testing"

func TestApprovalGate(t *testing.T) {
	t.Parallel()
	qe := ApprovalRequirement{RoleID: 7, RoleName: "Quality Engineer", Count: 2}
	lead := ApprovalRequirement{RoleID: 9, RoleName: "Lead", Count: 1}
	tests := []struct {
		name      string
		reqs      []ApprovalRequirement
		approvals []Approval
		want      string // "" when the gate is satisfied
	}{
		{"no requirements", nil, nil, ""},
		{"none given", []ApprovalRequirement{qe}, nil,
			"Approval gate not satisfied: releasing procedure 3 still needs 2 of 2 approvals from role 'Quality Engineer'."},
		{"one approver twice counts once", []ApprovalRequirement{qe}, []Approval{{1, []int64{7}}, {1, []int64{7}}},
			"Approval gate not satisfied: releasing procedure 3 still needs 1 of 2 approvals from role 'Quality Engineer'."},
		{"approver without the role", []ApprovalRequirement{lead}, []Approval{{1, []int64{7}}},
			"Approval gate not satisfied: releasing procedure 3 still needs 1 of 1 approvals from role 'Lead'."},
		{"two levels, one missing", []ApprovalRequirement{qe, lead}, []Approval{{1, []int64{7}}, {2, []int64{7}}},
			"Approval gate not satisfied: releasing procedure 3 still needs 1 of 1 approvals from role 'Lead'."},
		{"both missing", []ApprovalRequirement{qe, lead}, []Approval{{1, []int64{7}}},
			"Approval gate not satisfied: releasing procedure 3 still needs 1 of 2 approvals from role 'Quality Engineer', 1 of 1 approvals from role 'Lead'."},
		{"one approver meets two levels", []ApprovalRequirement{qe, lead}, []Approval{{1, []int64{7, 9}}, {2, []int64{7}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ApprovalGate("releasing procedure 3", tt.reqs, tt.approvals)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want satisfied", err)
				}
				return
			}
			if err == nil || ErrorMessage(err) != tt.want || ErrorCode(err) != CodeForbidden {
				t.Fatalf("got %v (%s), want 403 %q", err, ErrorCode(err), tt.want)
			}
		})
	}
}
