package shopfloor

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Purchase-order statuses, as ION's wire values. The user sets DRAFT,
// REQUESTED (in review), APPROVED, ORDERED and CANCELED; PARTIALLY_RECEIVED
// and RECEIVED are calculated from the lines of an ORDERED order.
const (
	PODraft             = "DRAFT"
	PORequested         = "REQUESTED"
	POApproved          = "APPROVED"
	POOrdered           = "ORDERED"
	POPartiallyReceived = "PARTIALLY_RECEIVED"
	POReceived          = "RECEIVED"
	POCanceled          = "CANCELED"
)

// poStatuses are every status of a purchase order, in their order.
var poStatuses = []string{PODraft, PORequested, POApproved, POOrdered, POPartiallyReceived, POReceived, POCanceled}

// poTransitions are the statuses a user may move a purchase order to from
// each status.
var poTransitions = map[string][]string{
	PODraft:             {PORequested, POApproved, POCanceled},
	PORequested:         {PODraft, POApproved, POCanceled},
	POApproved:          {PODraft, POOrdered, POCanceled},
	POOrdered:           {PODraft, POCanceled},
	POPartiallyReceived: {PODraft},
	POReceived:          {},
	POCanceled:          {PODraft},
}

// PurchaseOrderFacts are what a status change of a purchase order depends
// on beyond its status.
type PurchaseOrderFacts struct {
	OpenLines int   // live lines not canceled
	Approval  error // the approval gate's verdict on the order (nil: satisfied)
}

// PurchaseOrderTransition is nil when a user may move a purchase order from
// status from (its calculated status) to status to (already upper-cased by
// Validate), and otherwise the 422 (or, for missing approvals, the approval
// gate's 403) saying why not.
func PurchaseOrderTransition(from, to string, f PurchaseOrderFacts) error {
	if to == POPartiallyReceived || to == POReceived {
		return Errorf(CodeInvalid, "PurchaseOrder status %s is calculated from its lines and cannot be set.", to)
	}
	if from == to {
		return nil
	}
	if !slices.Contains(poTransitions[from], to) {
		return Errorf(CodeInvalid, "PurchaseOrder status cannot change from %s to %s.", from, to)
	}
	if (to == PORequested || to == POApproved) && f.OpenLines == 0 {
		return Errorf(CodeInvalid, "PurchaseOrder status cannot be %s without lines to order.", to)
	}
	if to == POApproved {
		return f.Approval
	}
	return nil
}

// PurchaseOrderEditable is nil while a purchase order is DRAFT, and
// otherwise the 422 saying that entity cannot be verb ("added", "changed",
// "deleted") in its status: lines and fees change only in a draft.
func PurchaseOrderEditable(entity, verb, poStatus string) error {
	if poStatus == PODraft {
		return nil
	}
	return Errorf(CodeInvalid, "%s cannot be %s while its purchase order is %s.", entity, verb, poStatus)
}

// PurchaseOrderLineStatusChange is nil when a user may set a line's status
// from lineStatus (calculated) to to, on a purchase order in poStatus: a
// line may only be canceled by hand, and uncanceled (set back to DRAFT)
// only while its purchase order is DRAFT.
func PurchaseOrderLineStatusChange(poStatus, lineStatus, to string) error {
	switch {
	case to != POCanceled && to != PODraft:
		return Errorf(CodeInvalid, "PurchaseOrderLine status can only be set to CANCELED, or to DRAFT to uncancel it.")
	case to == lineStatus:
		return nil
	case to == PODraft && lineStatus == POCanceled && poStatus != PODraft:
		return Errorf(CodeInvalid, "PurchaseOrderLine can only be uncanceled while its purchase order is DRAFT; it is %s.", poStatus)
	case to == PODraft && lineStatus != POCanceled, lineStatus == POReceived:
		return Errorf(CodeInvalid, "PurchaseOrderLine status cannot change from %s to %s.", lineStatus, to)
	}
	return nil
}

// ApprovalsReset reports whether a change of a purchase order's lines or
// fees that moves its total from oldCents to newCents clears the approvals
// given to it, so that the approval gate applies again: it does when the
// total changes while the order is DRAFT or REQUESTED (status as the user
// set it). An APPROVED or later order's total only falls (a canceled line),
// which its approvals cover.
func ApprovalsReset(status string, oldCents, newCents int64) bool {
	return oldCents != newCents && (status == PODraft || status == PORequested)
}

// ReceiveCheck is nil when a line (lineStatus, calculated) of a purchase
// order in poStatus may be received against: only ordered lines are.
func ReceiveCheck(poStatus, lineStatus string) error {
	if poStatus != POOrdered && poStatus != POPartiallyReceived {
		return Errorf(CodeInvalid, "PurchaseOrderLine can only be received while its purchase order is ORDERED; it is %s.", poStatus)
	}
	if lineStatus == POCanceled {
		return Errorf(CodeInvalid, "PurchaseOrderLine status is CANCELED: a canceled line cannot be received.")
	}
	return nil
}

// PurchaseOrder is an order placed with one supplier: its lines, fees and
// approvals. Status and TotalCents are calculated, never set directly.
type PurchaseOrder struct {
	ID                int64
	OrgID             int64
	SupplierID        *int64
	CurrencyID        *int64
	Status            string
	Description       *string
	ExternalReference *string
	Attributes        Attributes
	// TotalCents is the lines' quantity × unit cost, each rounded to the
	// cent, plus the fees, in cents.
	TotalCents  int64
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// EstimatedTotalCost is the total in currency units.
func (po *PurchaseOrder) EstimatedTotalCost() float64 { return Unscale(po.TotalCents, CentScale) }

// PurchaseOrderFields are the writable fields of a purchase order.
type PurchaseOrderFields struct {
	SupplierID        *int64
	CurrencyID        *int64
	Status            *string
	Description       *string
	ExternalReference *string
	// Attributes, when not nil, replace the stored ones whole.
	Attributes []Attribute
}

// Validate normalizes and validates purchase-order fields.
func (f *PurchaseOrderFields) Validate() error {
	c := &check{entity: "PurchaseOrder"}
	c.enum("status", f.Status, poStatuses...)
	c.text("description", f.Description, false, MaxDescription)
	c.text("externalReference", f.ExternalReference, false, MaxName)
	if f.Attributes != nil {
		c.attributes("attributes", (*Attributes)(&f.Attributes))
	}
	return c.result()
}

// MaxReceiptItems is the most items one receipt receives.
const MaxReceiptItems = 500

// MaxDescription is the longest description of a supply-chain entity.
const MaxDescription = 2048

// PurchaseOrderLine is a quantity of a part ordered at a unit cost; its
// outstanding quantity is on-order inventory until received.
type PurchaseOrderLine struct {
	ID              int64
	OrgID           int64
	PurchaseOrderID int64
	PartID          int64
	// QuantityMilli and ReceivedMilli count thousandths; UnitCostE4 is in
	// 1/10000 of the currency unit, TotalCents in cents.
	QuantityMilli int64
	ReceivedMilli int64
	UnitCostE4    int64
	TotalCents    int64
	// Status is calculated: CANCELED, RECEIVED (all received), ORDERED
	// (its order is), else DRAFT.
	Status      string
	Description *string
	NeedDate    *time.Time
	Position    int // its place among its order's lines, from 0
	Attributes  Attributes
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// Quantity is the quantity ordered.
func (l *PurchaseOrderLine) Quantity() float64 { return Unscale(l.QuantityMilli, QuantityScale) }

// ReceivedQuantity is the quantity received so far.
func (l *PurchaseOrderLine) ReceivedQuantity() float64 {
	return Unscale(l.ReceivedMilli, QuantityScale)
}

// UnitCost is the cost of one unit.
func (l *PurchaseOrderLine) UnitCost() float64 { return Unscale(l.UnitCostE4, UnitCostScale) }

// TotalCost is quantity × unit cost, rounded to the cent.
func (l *PurchaseOrderLine) TotalCost() float64 { return Unscale(l.TotalCents, CentScale) }

// PurchaseOrderLineFields are the writable fields of a line.
type PurchaseOrderLineFields struct {
	PurchaseOrderID *int64
	PartID          *int64
	Quantity        *float64
	UnitCost        *float64
	Description     *string
	NeedDate        *string
	Status          *string
	// Set by Validate: the quantity in thousandths, the unit cost in
	// 1/10000, the need date parsed.
	QuantityMilli *int64
	UnitCostE4    *int64
	Need          *time.Time
}

// Validate normalizes and validates line fields; create requires the
// order, the part and a quantity.
func (f *PurchaseOrderLineFields) Validate(create bool) error {
	c := &check{entity: "PurchaseOrderLine"}
	if create && f.PurchaseOrderID == nil {
		c.fail("purchaseOrderId", "is required.")
	}
	if create && f.PartID == nil {
		c.fail("partId", "is required.")
	}
	if create && f.Quantity == nil {
		c.fail("quantity", "is required.")
	}
	if create && f.UnitCost == nil {
		f.UnitCost = ptr(0.0)
	}
	c.positive("quantity", f.Quantity)
	f.QuantityMilli = c.scaled("quantity", f.Quantity, QuantityScale, MaxOrderQuantity)
	f.UnitCostE4 = c.scaled("unitCost", f.UnitCost, UnitCostScale, MaxAmount)
	c.text("description", f.Description, false, MaxDescription)
	f.Need = c.date("needDate", f.NeedDate)
	if f.Status != nil {
		c.enum("status", f.Status, poStatuses...)
	}
	return c.result()
}

// PurchaseOrderFee is a charge on a purchase order beyond its lines
// (shipping, tooling), in cents.
type PurchaseOrderFee struct {
	ID              int64
	OrgID           int64
	PurchaseOrderID int64
	Name            string
	AmountCents     int64
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedByID     *int64
	UpdatedByID     *int64
}

// Amount is the fee in currency units.
func (f *PurchaseOrderFee) Amount() float64 { return Unscale(f.AmountCents, CentScale) }

// PurchaseOrderFeeFields are the writable fields of a fee.
type PurchaseOrderFeeFields struct {
	PurchaseOrderID *int64
	Name            *string
	Amount          *float64
	AmountCents     *int64 // set by Validate
}

// Validate normalizes and validates fee fields; create requires the order,
// a name and an amount.
func (f *PurchaseOrderFeeFields) Validate(create bool) error {
	c := &check{entity: "PurchaseOrderFee"}
	if create && f.PurchaseOrderID == nil {
		c.fail("purchaseOrderId", "is required.")
	}
	c.text("name", f.Name, create, MaxName)
	if create && f.Amount == nil {
		c.fail("amount", "is required.")
	}
	f.AmountCents = c.scaled("amount", f.Amount, CentScale, MaxAmount)
	return c.result()
}

// ApprovalLevel is one level of the organization's purchase-order approval
// policy: an order whose total is at least the threshold needs an approval
// from a holder of the role before it is APPROVED.
type ApprovalLevel struct {
	ID             int64
	OrgID          int64
	RoleID         int64
	RoleName       string
	ThresholdCents int64
	Etag           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedByID    *int64
	UpdatedByID    *int64
}

// CostThreshold is the threshold in currency units.
func (l *ApprovalLevel) CostThreshold() float64 { return Unscale(l.ThresholdCents, CentScale) }

// ApprovalLevelFields are the fields of a new approval level.
type ApprovalLevelFields struct {
	RoleID         *int64
	CostThreshold  *float64
	ThresholdCents *int64 // set by Validate
}

// Validate validates approval-level fields.
func (f *ApprovalLevelFields) Validate() error {
	c := &check{entity: "PurchaseOrderApprovalLevel"}
	if f.RoleID == nil {
		c.fail("roleId", "is required.")
	}
	if f.CostThreshold == nil {
		f.CostThreshold = ptr(0.0)
	}
	f.ThresholdCents = c.scaled("costThreshold", f.CostThreshold, CentScale, MaxThreshold)
	return c.result()
}

// PurchaseOrderRequirements are the approval gate's requirements of an
// order of totalCents under levels: one approval per level it reaches.
func PurchaseOrderRequirements(levels []ApprovalLevel, totalCents int64) []ApprovalRequirement {
	var reqs []ApprovalRequirement
	for _, l := range levels {
		if totalCents >= l.ThresholdCents {
			reqs = append(reqs, ApprovalRequirement{RoleID: l.RoleID, RoleName: l.RoleName, Count: 1})
		}
	}
	return reqs
}

// RoleIDs is a list of role ids stored as JSON.
type RoleIDs []int64

// Scan reads the stored JSON list.
func (r *RoleIDs) Scan(src any) error {
	*r = nil // a fresh list: json.Unmarshal would reuse the old one's array
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), (*[]int64)(r))
	case []byte:
		return json.Unmarshal(v, (*[]int64)(r))
	}
	return fmt.Errorf("shopfloor: role ids from %T", src)
}

// Value stores the list as JSON text.
func (r RoleIDs) Value() (driver.Value, error) {
	b, err := json.Marshal(append([]int64{}, r...))
	return string(b), err
}

// PurchaseOrderApproval is one reviewer's approval of a purchase order,
// with the roles the reviewer held when approving.
type PurchaseOrderApproval struct {
	ID              int64
	OrgID           int64
	PurchaseOrderID int64
	ReviewerID      int64
	RoleIDs         RoleIDs
	Comment         *string
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedByID     *int64
	UpdatedByID     *int64
}

// PurchaseOrderApprovalRequest asks a reviewer to review a purchase order.
type PurchaseOrderApprovalRequest struct {
	ID              int64
	OrgID           int64
	PurchaseOrderID int64
	ReviewerID      int64
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CreatedByID     *int64
	UpdatedByID     *int64
}

// PurchaseOrderService manages the purchase orders of the caller's
// organization: orders, lines, fees, approvals.
type PurchaseOrderService interface {
	PurchaseOrder(ctx context.Context, id int64) (*PurchaseOrder, error)
	PurchaseOrders(ctx context.Context, opts ListOptions) (*Page[PurchaseOrder], error)
	PurchaseOrdersByIDs(ctx context.Context, ids []int64) ([]PurchaseOrder, error)
	CreatePurchaseOrder(ctx context.Context, f PurchaseOrderFields) (*PurchaseOrder, error)
	// UpdatePurchaseOrder changes fields and moves the status as
	// PurchaseOrderTransition allows.
	UpdatePurchaseOrder(ctx context.Context, id int64, etag string, f PurchaseOrderFields) (*PurchaseOrder, error)
	// UpdatePurchaseOrderAttribute sets one custom attribute of the purchaseOrder, under its etag.
	UpdatePurchaseOrderAttribute(ctx context.Context, f AttributeFields) (*PurchaseOrder, error)
	// UpdatePurchaseOrderLineAttribute sets one custom attribute of a line, under its etag.
	UpdatePurchaseOrderLineAttribute(ctx context.Context, f AttributeFields) (*PurchaseOrderLine, error)
	// ReorderPurchaseOrderLine moves a line of a DRAFT order to index among
	// its order's lines (from 0), if etag is current; the lines are then
	// numbered from 0.
	ReorderPurchaseOrderLine(ctx context.Context, id int64, etag string, index int) (*PurchaseOrderLine, error)
	DeletePurchaseOrder(ctx context.Context, id int64, etag string) error

	PurchaseOrderLine(ctx context.Context, id int64) (*PurchaseOrderLine, error)
	PurchaseOrderLines(ctx context.Context, opts ListOptions) (*Page[PurchaseOrderLine], error)
	PurchaseOrderLinesByIDs(ctx context.Context, ids []int64) ([]PurchaseOrderLine, error)
	LinesByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]PurchaseOrderLine, error)
	CreatePurchaseOrderLine(ctx context.Context, f PurchaseOrderLineFields) (*PurchaseOrderLine, error)
	UpdatePurchaseOrderLine(ctx context.Context, id int64, etag string, f PurchaseOrderLineFields) (*PurchaseOrderLine, error)
	DeletePurchaseOrderLine(ctx context.Context, id int64, etag string) error
	// InventoriesByLineIDs returns the inventory of each line: on order,
	// and received against it.
	InventoriesByLineIDs(ctx context.Context, lineIDs []int64) (map[int64][]PartInventory, error)

	FeesByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]PurchaseOrderFee, error)
	CreatePurchaseOrderFee(ctx context.Context, f PurchaseOrderFeeFields) (*PurchaseOrderFee, error)
	UpdatePurchaseOrderFee(ctx context.Context, id int64, etag string, f PurchaseOrderFeeFields) (*PurchaseOrderFee, error)
	DeletePurchaseOrderFee(ctx context.Context, id int64, etag string) error

	ApprovalLevels(ctx context.Context, opts ListOptions) (*Page[ApprovalLevel], error)
	CreateApprovalLevel(ctx context.Context, f ApprovalLevelFields) (*ApprovalLevel, error)
	DeleteApprovalLevel(ctx context.Context, id int64, etag string) error
	ApprovalsByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]PurchaseOrderApproval, error)
	// CreatePurchaseOrderApproval records the caller's approval; an order
	// in review whose gate it satisfies becomes APPROVED.
	CreatePurchaseOrderApproval(ctx context.Context, poID int64, comment *string) (*PurchaseOrderApproval, error)
	ApprovalRequestsByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]PurchaseOrderApprovalRequest, error)
	CreatePurchaseOrderApprovalRequest(ctx context.Context, poID, reviewerID int64) (*PurchaseOrderApprovalRequest, error)
	DeletePurchaseOrderApprovalRequest(ctx context.Context, id int64, etag string) error
}
