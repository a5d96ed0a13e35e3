package shopfloor

import (
	"context"
	"time"
)

// Rule is an ION Action: a validation that runs when an entity of its
// target is created, updated or deleted. Its context is a GraphQL query
// ($id bound to the target's id) and its code Python, which ION runs in its
// own sandbox. Shopfloor stores and returns rules; it does not run their
// code (RuleEvaluator is where an evaluator would go).
type Rule struct {
	ID          int64
	OrgID       int64
	Title       string
	Target      string // RuleTargets
	RuleType    string // RuleTypes
	EventType   string // RuleEventTypes
	Enabled     bool
	Context     *string
	Code        *string
	ErrorState  string // RuleErrorStates
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// The enumerations of a rule, as ION's clients write them (bare literals).
var (
	RuleTargets    = []string{"RECEIPTITEM", "PARTINVENTORY", "RUN", "ISSUE", "PROCEDURE", "PURCHASEORDERLINE", "ABOMINSTALLATION"}
	RuleTypes      = []string{"VALIDATION"}
	RuleEventTypes = []string{"CREATE", "UPDATE", "DELETE"}
)

// RuleMaxText is the longest context or code of a rule, in characters.
const RuleMaxText = 65536

// RuleFields are the writable fields of a rule; nil means "not given".
type RuleFields struct {
	Title      *string
	Target     *string
	RuleType   *string
	EventType  *string
	Enabled    *bool
	Context    *string
	Code       *string
	ErrorState *string
}

// Validate normalizes and validates rule fields, filling a new rule's
// defaults (VALIDATION, BLOCK, disabled).
func (f *RuleFields) Validate(create bool) error {
	c := &check{entity: "Rule"}
	c.text("title", f.Title, create, MaxName)
	if create && f.Target == nil {
		c.fail("target", "is required.")
	}
	if create && f.EventType == nil {
		c.fail("eventType", "is required.")
	}
	c.enum("target", f.Target, RuleTargets...)
	c.enum("ruleType", f.RuleType, RuleTypes...)
	c.enum("eventType", f.EventType, RuleEventTypes...)
	c.enum("errorState", f.ErrorState, RuleErrorStates...)
	c.text("context", f.Context, false, RuleMaxText)
	c.text("code", f.Code, false, RuleMaxText)
	if create {
		if f.RuleType == nil {
			f.RuleType = ptr(RuleTypes[0])
		}
		if f.ErrorState == nil {
			f.ErrorState = ptr(RuleErrorStates[0])
		}
		if f.Enabled == nil {
			f.Enabled = ptr(false)
		}
	}
	return c.result()
}

// RuleChange is the change a rule is evaluated on: an event on one entity
// of a target.
type RuleChange struct {
	Target    string
	EventType string
	ID        int64
}

// RuleEvaluator runs the organization's enabled rules for a change, inside
// the transaction that writes it; an error it returns refuses the change.
// The store calls it only when the organization's settings.rules.enabled is
// true. Shopfloor ships none: a rule's code is Python that ION runs in its
// own sandbox.
type RuleEvaluator interface {
	Evaluate(ctx context.Context, rules []Rule, change RuleChange) error
}

// RuleService manages the organization's rules.
type RuleService interface {
	Rule(ctx context.Context, id int64) (*Rule, error)
	Rules(ctx context.Context, opts ListOptions) (*Page[Rule], error)
	CreateRule(ctx context.Context, f RuleFields) (*Rule, error)
	UpdateRule(ctx context.Context, id int64, etag string, f RuleFields) (*Rule, error)
}
