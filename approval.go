package shopfloor

import (
	"fmt"
	"strings"
)

// ApprovalRequirement is one level of an approval gate: Count distinct
// approvers holding the role must approve before the gated change (releasing
// a procedure or an mBOM, approving a purchase order above a threshold).
type ApprovalRequirement struct {
	RoleID   int64
	RoleName string
	Count    int
}

// Approval is one approver's approval, with the roles the approver held
// when approving.
type Approval struct {
	UserID  int64
	RoleIDs []int64
}

// ApprovalGate is nil when approvals meet every requirement, and otherwise
// the contract's approval-gate 403 naming each missing approval; action says
// what is gated, e.g. "releasing procedure 12". An approver counts once per
// requirement whose role they held, however often they approved.
func ApprovalGate(action string, reqs []ApprovalRequirement, approvals []Approval) error {
	var missing []string
	for _, req := range reqs {
		approvers := map[int64]bool{}
		for _, a := range approvals {
			for _, role := range a.RoleIDs {
				if role == req.RoleID {
					approvers[a.UserID] = true
				}
			}
		}
		if len(approvers) < req.Count {
			missing = append(missing, fmt.Sprintf("%d of %d approvals from role '%s'", req.Count-len(approvers), req.Count, req.RoleName))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return Errorf(CodeForbidden, "Approval gate not satisfied: %s still needs %s.", action, strings.Join(missing, ", "))
}
