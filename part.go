package shopfloor

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Part is a part definition: a part number at a revision.
type Part struct {
	ID               int64
	OrgID            int64
	EntityID         int64 // ION's entityId, which attachments name
	PartNumber       string
	Description      *string
	Revision         string
	PartType         string  // PART or TOOL
	TrackingType     *string // SERIAL, LOT or nil (untracked)
	Status           string  // RELEASED or ARCHIVED
	SourcingStrategy *string // MAKE, BUY or DUAL_SOURCE
	// PurchaseType is RECEIVABLE_INVENTORY, RECEIVABLE_NON_INVENTORY or
	// NON_RECEIVABLE_NON_INVENTORY.
	PurchaseType       *string
	SupplierPartNumber *string
	Cost               *float64
	LeadTime           *float64 // days
	ExportControlled   bool
	Attributes         Attributes
	// RevisedFromID is the part this revision was made from.
	RevisedFromID *int64
	Quantity      float64 // sum of the part's inventory quantities
	Etag          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedByID   *int64
	UpdatedByID   *int64
}

// Enumerations of Part.
var (
	PartTypes          = []string{"PART", "TOOL"}
	TrackingTypes      = []string{"SERIAL", "LOT"}
	PartStatuses       = []string{"RELEASED", "ARCHIVED"}
	SourcingStrategies = []string{"MAKE", "BUY", "DUAL_SOURCE"}
	PurchaseTypes      = []string{"RECEIVABLE_INVENTORY", "RECEIVABLE_NON_INVENTORY", "NON_RECEIVABLE_NON_INVENTORY"}
)

// PartFields are the writable fields of a part; nil means "not given".
type PartFields struct {
	PartNumber         *string
	Description        *string
	Revision           *string
	PartType           *string
	TrackingType       *string
	Status             *string
	SourcingStrategy   *string
	PurchaseType       *string
	SupplierPartNumber *string
	Cost               *float64
	LeadTime           *float64
	ExportControlled   *bool
	Attributes         *Attributes
}

// PartMaxDescription is the longest part description ION accepts.
const PartMaxDescription = 512

func (f *PartFields) check(create bool) *check {
	c := &check{entity: "Part"}
	c.text("partNumber", f.PartNumber, create, 255)
	c.text("description", f.Description, false, PartMaxDescription)
	c.text("revision", f.Revision, false, 32)
	c.enum("partType", f.PartType, PartTypes...)
	c.enum("trackingType", f.TrackingType, TrackingTypes...)
	c.enum("status", f.Status, PartStatuses...)
	c.enum("sourcingStrategy", f.SourcingStrategy, SourcingStrategies...)
	c.enum("purchaseType", f.PurchaseType, PurchaseTypes...)
	c.text("supplierPartNumber", f.SupplierPartNumber, false, 255)
	c.attributes("attributes", f.Attributes)
	c.nonNegative("cost", f.Cost)
	c.nonNegative("leadTime", f.LeadTime)
	return c
}

// ValidateCreate normalizes and validates a new part, filling defaults.
func (f *PartFields) ValidateCreate() error {
	c := f.check(true)
	if c.err == nil {
		if f.Revision == nil || *f.Revision == "" {
			f.Revision = ptr("A")
		}
		if f.PartType == nil {
			f.PartType = ptr("PART")
		}
		if f.Status == nil {
			f.Status = ptr("RELEASED")
		}
	}
	return c.result()
}

// ValidateUpdate normalizes and validates a change to a part.
func (f *PartFields) ValidateUpdate() error {
	c := f.check(false)
	if f.Revision != nil {
		c.fail("revision", "cannot be changed; use createPartRevision.")
	}
	return c.result()
}

func ptr[T any](v T) *T { return &v }

// NextRevision is the revision after rev: alphabetic revisions count A, B,
// ..., Z, AA, AB (as spreadsheet columns), numeric ones 1, 2, ...; any other
// revision has no next one, and a new revision must be given.
func NextRevision(rev string) (string, bool) {
	if n, err := strconv.ParseUint(rev, 10, 32); err == nil {
		return strconv.FormatUint(n+1, 10), true
	}
	b := []byte(strings.ToUpper(rev))
	if len(b) == 0 || strings.Trim(string(b), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", false
	}
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 'Z' {
			b[i]++
			return string(b), true
		}
		b[i] = 'A'
	}
	return "A" + string(b), true
}

// ValidateRevision checks a revision given to createPartRevision, or
// derives it from the source part's revision.
func ValidateRevision(given *string, from string) (string, error) {
	c := &check{entity: "Part"}
	c.text("revision", given, false, 32)
	if c.err != nil {
		return "", c.result()
	}
	if given != nil && *given != "" {
		return *given, nil
	}
	next, ok := NextRevision(from)
	if !ok {
		c.fail("revision", "is required: revision '%s' has no next revision.", from)
		return "", c.result()
	}
	return next, nil
}

// PartService manages parts of the caller's organization.
type PartService interface {
	Part(ctx context.Context, id int64) (*Part, error)
	Parts(ctx context.Context, opts ListOptions) (*Page[Part], error)
	PartsByIDs(ctx context.Context, ids []int64) ([]Part, error)
	CreatePart(ctx context.Context, f PartFields) (*Part, error)
	UpdatePart(ctx context.Context, id int64, etag string, f PartFields) (*Part, error)
	// UpdatePartAttribute sets one custom attribute of the part, under its etag.
	UpdatePartAttribute(ctx context.Context, f AttributeFields) (*Part, error)
	DeletePart(ctx context.Context, id int64, etag string) error
	// AddSubtypeToPart and RemoveSubtypeFromPart tag or untag a part; an
	// empty etag skips the etag check.
	// CreatePartRevision makes the next revision of a part: a new part with
	// its number, fields and attributes, revised from it. An empty revision
	// means the next one (NextRevision); an empty etag skips the etag check.
	CreatePartRevision(ctx context.Context, partID int64, etag string, revision *string) (*Part, error)
	AddSubtypeToPart(ctx context.Context, partID, subtypeID int64, etag string) (*Part, error)
	RemoveSubtypeFromPart(ctx context.Context, partID, subtypeID int64, etag string) (*Part, error)
}
