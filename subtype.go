package shopfloor

import (
	"context"
	"time"
)

// PartSubtype is a tag parts carry (many to many).
type PartSubtype struct {
	ID          int64
	OrgID       int64
	Name        string
	Description *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PartSubtypeFields are the writable fields of a part subtype.
type PartSubtypeFields struct {
	Name        *string
	Description *string
}

// Validate normalizes and validates subtype fields.
func (f *PartSubtypeFields) Validate(create bool) error {
	c := &check{entity: "PartSubtype"}
	c.text("name", f.Name, create, 255)
	c.text("description", f.Description, false, PartMaxDescription)
	return c.result()
}

// PartSubtypeService manages part subtypes of the caller's organization.
type PartSubtypeService interface {
	PartSubtype(ctx context.Context, id int64) (*PartSubtype, error)
	PartSubtypes(ctx context.Context, opts ListOptions) (*Page[PartSubtype], error)
	// SubtypesByPartIDs returns the subtypes of each part.
	SubtypesByPartIDs(ctx context.Context, partIDs []int64) (map[int64][]PartSubtype, error)
	CreatePartSubtype(ctx context.Context, f PartSubtypeFields) (*PartSubtype, error)
	UpdatePartSubtype(ctx context.Context, id int64, etag string, f PartSubtypeFields) (*PartSubtype, error)
	DeletePartSubtype(ctx context.Context, id int64, etag string) error
}

// Store is everything the API serves, each call scoped to the caller's
// organization.
type Store interface {
	OrgService
	APIKeyService
	OAuthAppService
	PartService
	PartInventoryService
	LocationService
	PartSubtypeService
	UnitOfMeasurementService
	AttributeDefinitionService
	IssueService
	BarcodeService
	RuleService
	NotificationService
	SupplierService
	ContactService
	PartKitService
	CurrencyService
	PurchaseOrderService
	ReceiptService
	RoleService
	ProcedureService
	RunService
	MBomService
	ABomService
	TeamService
	FileService
	WebhookService
	IdempotencyService
	RowCounter
}
