package shopfloor

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Issue is a nonconformance report (NCR): what was found, on which part or
// inventory, what was expected and what caused it, and what is done about it
// (its disposition), moving Pending → In Progress → In Review → Resolved.
type Issue struct {
	ID          int64
	OrgID       int64
	EntityID    int64 // ION's entityId, for labels and attachments
	Title       *string
	Description *string
	Status      string // IssueStatuses
	// DispositionType is one of IssueDispositionTypes; Disposition says
	// what is done, as text or a Slate document.
	DispositionType   *string
	Disposition       any
	ExpectedCondition any // a Slate document, as the client sent it
	CauseCondition    any
	// PartID and PartInventoryID are the part and the inventory the issue
	// occurred on, RunID and RunStepID the run and its step it was found on
	// (its links).
	PartID          *int64
	PartInventoryID *int64
	RunID           *int64
	RunStepID       *int64
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedByID     *int64
	UpdatedByID     *int64
}

// IssueAttribute is one custom attribute of an issue, with its own etag
// (spelled Etag on the wire).
type IssueAttribute struct {
	ID          int64
	IssueID     int64
	Key         string
	Type        *string
	Value       any
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// Issue statuses, in their order, as ION's wire values.
const (
	IssuePending    = "PENDING"
	IssueInProgress = "IN_PROGRESS"
	IssueInReview   = "IN_REVIEW"
	IssueResolved   = "RESOLVED"
)

// IssueStatuses lists the statuses in order.
var IssueStatuses = []string{IssuePending, IssueInProgress, IssueInReview, IssueResolved}

// IssueDispositionTypes are ION's standard dispositions.
var IssueDispositionTypes = []string{"USE_AS_IS", "REWORK", "REPAIR", "SCRAP", "RETURN_TO_VENDOR"}

// issueMoves are the status changes a person may make: forward one step,
// back from In Review to In Progress ("Return to In Progress"), and from
// Resolved to In Progress ("Reopen Issue").
var issueMoves = map[string][]string{
	IssuePending:    {IssueInProgress},
	IssueInProgress: {IssueInReview},
	IssueInReview:   {IssueInProgress, IssueResolved},
	IssueResolved:   {IssueInProgress},
}

// IssueFacts are what a status change depends on besides the two statuses.
type IssueFacts struct {
	// HasDisposition: the issue has a disposition type once the change is
	// applied; it cannot leave Pending without one.
	HasDisposition bool
	// DispositionChanged: the change sets another disposition type, which
	// sends the issue back to Pending (its approval starts again).
	DispositionChanged bool
	// Edited names the fields other than status and dispositionType the
	// change sets; a Resolved issue keeps them (only attributes change).
	Edited []string
}

// NextIssueStatus is the issue status machine: the status an issue in
// status from has after a change asking for to (nil: no status given), or
// the 422 that refuses it. The store applies it in the transaction that
// writes the change.
func NextIssueStatus(from string, to *string, f IssueFacts) (string, error) {
	c := &check{entity: "Issue"}
	if from == IssueResolved && (to == nil || *to == IssueResolved) {
		if len(f.Edited) > 0 {
			c.fail(f.Edited[0], "cannot be changed while the issue is RESOLVED; reopen it first.")
		} else if f.DispositionChanged {
			c.fail("dispositionType", "cannot be changed while the issue is RESOLVED; reopen it first.")
		}
		if c.err != nil {
			return "", c.result()
		}
	}
	if f.DispositionChanged {
		from = IssuePending
	}
	if to == nil || *to == from {
		return from, nil
	}
	c.enum("status", to, IssueStatuses...)
	if c.err != nil {
		return "", c.result()
	}
	if allowed := issueMoves[from]; !slices.Contains(allowed, *to) {
		c.fail("status", "cannot change from %s to %s; from %s it may change to %s.", from, *to, from, strings.Join(allowed, " or "))
		return "", c.result()
	}
	if from == IssuePending && !f.HasDisposition {
		c.fail("status", "cannot change from PENDING to %s without a dispositionType.", *to)
		return "", c.result()
	}
	return *to, nil
}

// IssueFields are the writable fields of an issue; nil means "not given".
type IssueFields struct {
	Title             *string
	Description       *string
	Status            *string
	DispositionType   *string
	Disposition       any
	ExpectedCondition any
	CauseCondition    any
	PartID            *int64
	PartInventoryID   *int64
	RunID             *int64
	RunStepID         *int64
	Attributes        *Attributes
}

// IssueMaxDescription is the longest issue description.
const IssueMaxDescription = 4096

// Validate normalizes and validates issue fields. A new issue is Pending.
func (f *IssueFields) Validate(create bool) error {
	c := &check{entity: "Issue"}
	c.text("title", f.Title, false, MaxName)
	c.text("description", f.Description, false, IssueMaxDescription)
	c.enum("dispositionType", f.DispositionType, IssueDispositionTypes...)
	if f.Status != nil {
		c.enum("status", f.Status, IssueStatuses...)
	}
	for _, j := range []struct {
		field string
		v     any
	}{{"disposition", f.Disposition}, {"expectedCondition", f.ExpectedCondition}, {"causeCondition", f.CauseCondition}} {
		c.jsonValue(j.field, j.v)
	}
	c.attributes("attributes", f.Attributes)
	if create {
		if f.Status != nil && *f.Status != IssuePending && c.err == nil {
			c.fail("status", "must be PENDING when the issue is created.")
		}
		f.Status = ptr(IssuePending)
	}
	return c.result()
}

// jsonValue checks a JSON input value stays within the size of one
// attribute value.
func (c *check) jsonValue(field string, v any) {
	if v == nil {
		return
	}
	if raw, err := json.Marshal(v); err != nil || len(raw) > AttributeMaxValueBytes {
		c.fail(field, "must be at most %d bytes of JSON.", AttributeMaxValueBytes)
	}
}

// IssueAttributeFields are updateIssueAttribute's input: the attribute by
// its id, or by its issue and key (made when the issue has none of that
// key); etag is the attribute's Etag.
type IssueAttributeFields struct {
	ID      *int64
	IssueID *int64
	Key     *string
	Value   any
	Etag    string
}

// Validate checks the attribute is named one way or the other.
func (f *IssueAttributeFields) Validate() error {
	c := &check{entity: "IssueAttribute"}
	if f.ID == nil && f.IssueID == nil {
		c.fail("id", "is required (or issueId and key).")
	}
	if f.Key != nil {
		c.text("key", f.Key, true, AttributeMaxKey)
	}
	c.jsonValue("value", f.Value)
	return c.result()
}

// IssueService manages the issues of the caller's organization.
type IssueService interface {
	Issue(ctx context.Context, id int64) (*Issue, error)
	Issues(ctx context.Context, opts ListOptions) (*Page[Issue], error)
	CreateIssue(ctx context.Context, f IssueFields) (*Issue, error)
	UpdateIssue(ctx context.Context, id int64, etag string, f IssueFields) (*Issue, error)
	// AttributesByIssueIDs returns the attributes of each issue, by key.
	AttributesByIssueIDs(ctx context.Context, ids []int64) (map[int64][]IssueAttribute, error)
	UpdateIssueAttribute(ctx context.Context, f IssueAttributeFields) (*IssueAttribute, error)
}
