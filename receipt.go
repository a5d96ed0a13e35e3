package shopfloor

import (
	"context"
	"time"
)

// Receipt is one delivery received against purchase-order lines: each of
// its items moved a quantity of a line from on order to inventory at a
// location.
type Receipt struct {
	ID          int64
	OrgID       int64
	Notes       *string
	Attributes  Attributes
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// ReceiptItem is the quantity of one line a receipt received, and the
// inventory it became.
type ReceiptItem struct {
	ID                  int64
	OrgID               int64
	ReceiptID           int64
	PurchaseOrderLineID int64
	PartInventoryID     int64
	QuantityMilli       int64
	Etag                string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	CreatedByID         *int64
	UpdatedByID         *int64
}

// Quantity is the quantity received.
func (i *ReceiptItem) Quantity() float64 { return Unscale(i.QuantityMilli, QuantityScale) }

// ReceiveFields receive a quantity of one purchase-order line into
// inventory at a location: a serial-tracked part one unit with its serial
// number, a lot-tracked part with its lot number.
type ReceiveFields struct {
	PurchaseOrderLineID *int64
	Quantity            *float64
	SerialNumber        *string
	LotNumber           *string
	LocationID          *int64
	QuantityMilli       *int64 // set by Validate
}

// Validate validates one receipt item.
func (f *ReceiveFields) Validate() error {
	c := &check{entity: "ReceiptItem"}
	if f.PurchaseOrderLineID == nil {
		c.fail("purchaseOrderLineId", "is required.")
	}
	if f.Quantity == nil {
		c.fail("quantity", "is required.")
	}
	c.positive("quantity", f.Quantity)
	f.QuantityMilli = c.scaled("quantity", f.Quantity, QuantityScale, MaxOrderQuantity)
	c.text("serialNumber", f.SerialNumber, false, 255)
	c.text("lotNumber", f.LotNumber, false, 255)
	return c.result()
}

// ReceiptFields are the writable fields of a receipt.
type ReceiptFields struct {
	Notes *string
	// Attributes, when not nil, replace the stored ones whole.
	Attributes *Attributes
}

// Validate validates receipt fields.
func (f *ReceiptFields) Validate() error {
	c := &check{entity: "Receipt"}
	c.text("notes", f.Notes, false, MaxDescription)
	if f.Attributes != nil {
		c.attributes("attributes", f.Attributes)
	}
	return c.result()
}

// ReceiptService receives purchase-order lines of the caller's
// organization.
type ReceiptService interface {
	Receipt(ctx context.Context, id int64) (*Receipt, error)
	Receipts(ctx context.Context, opts ListOptions) (*Page[Receipt], error)
	ReceiptItem(ctx context.Context, id int64) (*ReceiptItem, error)
	ReceiptItems(ctx context.Context, opts ListOptions) (*Page[ReceiptItem], error)
	ItemsByReceiptIDs(ctx context.Context, receiptIDs []int64) (map[int64][]ReceiptItem, error)
	// Receive makes a receipt of items, all or nothing: a quantity beyond
	// what a line still awaits is a 422, however many receive at once.
	Receive(ctx context.Context, items []ReceiveFields) (*Receipt, error)
	// DeleteReceipt undoes a receipt: its quantities are on order again.
	DeleteReceipt(ctx context.Context, id int64, etag string) error
	// UpdateReceipt changes a receipt's notes and attributes if etag is current.
	UpdateReceipt(ctx context.Context, id int64, etag string, f ReceiptFields) (*Receipt, error)
	// UpdateReceiptAttribute sets one custom attribute of a receipt, under its etag.
	UpdateReceiptAttribute(ctx context.Context, f AttributeFields) (*Receipt, error)
}
