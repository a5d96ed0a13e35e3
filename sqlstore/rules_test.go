package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// refusingEvaluator is an evaluator that refuses every change it is given
// rules for, recording the rules' titles.
type refusingEvaluator struct{ seen []string }

func (e *refusingEvaluator) Evaluate(_ context.Context, rules []shopfloor.Rule, change shopfloor.RuleChange) error {
	for _, r := range rules {
		e.seen = append(e.seen, r.Title+" "+change.EventType)
	}
	if len(rules) > 0 {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "%s", rules[0].Title)
	}
	return nil
}

// The evaluator seam: issue writes hand the organization's enabled rules
// of their target and event to the store's evaluator, only once the
// organization enables rules, and its refusal rolls the write back.
func TestRuleEvaluatorSeam(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "rules.example", shopfloor.RoleAdmin)
		eval := &refusingEvaluator{}
		s.RuleEvaluator = eval
		for _, r := range []struct {
			title, target, event string
			enabled              bool
		}{
			{"on update", "ISSUE", "UPDATE", true},
			{"disabled", "ISSUE", "UPDATE", false},
			{"on create", "ISSUE", "CREATE", true},
			{"other target", "RUN", "UPDATE", true},
		} {
			if _, err := s.CreateRule(ctx, shopfloor.RuleFields{Title: &r.title, Target: &r.target, EventType: &r.event, Enabled: &r.enabled}); err != nil {
				t.Fatal(err)
			}
		}
		s.RuleEvaluator = nil
		issue, err := s.CreateIssue(ctx, shopfloor.IssueFields{})
		if err != nil {
			t.Fatal(err)
		}
		s.RuleEvaluator = eval
		title := "renamed"
		if _, err := s.UpdateIssue(ctx, issue.ID, issue.Etag, shopfloor.IssueFields{Title: &title}); err != nil || len(eval.seen) != 0 {
			t.Fatalf("rules ran while the organization has them off: %v %v", err, eval.seen)
		}
		org, err := s.Organization(ctx)
		if err != nil {
			t.Fatal(err)
		}
		on := true
		if _, err := s.UpdateOrganization(ctx, org.ID, org.Etag, shopfloor.OrganizationFields{Settings: &shopfloor.OrganizationSettingsPatch{Rules: &shopfloor.RuleSettingsPatch{Enabled: &on}}}); err != nil {
			t.Fatal(err)
		}
		issue, _ = s.Issue(ctx, issue.ID)
		title = "refused"
		_, err = s.UpdateIssue(ctx, issue.ID, issue.Etag, shopfloor.IssueFields{Title: &title})
		if shopfloor.ErrorCode(err) != shopfloor.CodeInvalid || err.Error() != "on update" || !slices.Equal(eval.seen, []string{"on update UPDATE"}) {
			t.Fatalf("got %v, evaluated %v", err, eval.seen)
		}
		if now, _ := s.Issue(ctx, issue.ID); *now.Title != "renamed" || now.Etag != issue.Etag {
			t.Fatalf("the refused change was written: %+v", now)
		}
	})
}
