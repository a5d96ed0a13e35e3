package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var rules = &table[shopfloor.Rule]{
	entity: "Rule", name: "rules", alias: "r",
	selects: "r.id, r.org_id, r.title, r.target, r.rule_type, r.event_type, r.enabled, r.context, r.code, r.error_state, " +
		"r.etag, r.created_at, r.updated_at, r.created_by_id, r.updated_by_id",
	fields: map[string]column{
		"id":         {"r.id", kindID},
		"title":      {"r.title", kindText},
		"target":     {"r.target", kindEnum},
		"ruleType":   {"r.rule_type", kindEnum},
		"eventType":  {"r.event_type", kindEnum},
		"enabled":    {"r.enabled", kindBool},
		"errorState": {"r.error_state", kindEnum},
	},
	dest: func(v *shopfloor.Rule) []any {
		return []any{&v.ID, &v.OrgID, &v.Title, &v.Target, &v.RuleType, &v.EventType, &v.Enabled, &v.Context, &v.Code, &v.ErrorState,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// rulePermission is the permission that changes rules: ION's catalog has
// no rule family, and rules are enabled with updateOrganization.
const rulePermission shopfloor.Permission = "UpdateOrganization"

// Rule returns one rule of the caller's org.
func (s *Store) Rule(ctx context.Context, id int64) (*shopfloor.Rule, error) {
	return get(ctx, s, rules, id)
}

// Rules lists the caller's rules.
func (s *Store) Rules(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Rule], error) {
	return list(ctx, s, rules, opts)
}

func ruleChanges(f shopfloor.RuleFields) changes {
	var c changes
	setIf(&c, "title", f.Title)
	setIf(&c, "target", f.Target)
	setIf(&c, "rule_type", f.RuleType)
	setIf(&c, "event_type", f.EventType)
	setIf(&c, "enabled", f.Enabled)
	setIf(&c, "context", f.Context)
	setIf(&c, "code", f.Code)
	setIf(&c, "error_state", f.ErrorState)
	return c
}

// CreateRule stores a rule.
func (s *Store) CreateRule(ctx context.Context, f shopfloor.RuleFields) (*shopfloor.Rule, error) {
	return mutate(ctx, s, rules, rulePermission, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, rules.name, p, ruleChanges(f))
	})
}

// UpdateRule changes a rule (enables it, say) if etag is current.
func (s *Store) UpdateRule(ctx context.Context, id int64, etag string, f shopfloor.RuleFields) (*shopfloor.Rule, error) {
	return mutate(ctx, s, rules, rulePermission, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, rules, p, id, etag, ruleChanges(f))
	})
}

// evaluateRules hands a change to the store's RuleEvaluator with the
// organization's enabled rules for it, when there is an evaluator and the
// organization's settings.rules.enabled is on.
func (s *Store) evaluateRules(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, change shopfloor.RuleChange) error {
	if s.RuleEvaluator == nil {
		return nil
	}
	var settings shopfloor.OrganizationSettings
	if err := s.queryRow(ctx, tx, "SELECT settings FROM organizations WHERE id = ?", p.OrgID).Scan(&settings); err != nil {
		return fmt.Errorf("sqlstore: read settings: %w", err)
	}
	if !settings.Rules.Enabled {
		return nil
	}
	matching, err := whereIn(ctx, s, tx, rules, p, "r.enabled = ? AND r.target = ? AND r.event_type = ?", true, change.Target, change.EventType)
	if err != nil {
		return err
	}
	return s.RuleEvaluator.Evaluate(ctx, matching, change)
}
