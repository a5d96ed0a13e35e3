package model

import "github.com/shopfloor-dev/shopfloor"

// Connection is a Relay connection over one page of a list.
type Connection[T any] struct {
	Page *shopfloor.Page[T]
}

// Edge is one item of a connection and its cursor.
type Edge[T any] struct {
	Node   *T
	Cursor string
}

// PageInfo tells where a page stands among all matches.
type PageInfo struct {
	StartCursor     *string
	EndCursor       *string
	HasNextPage     bool
	HasPreviousPage bool
	TotalCount      int
	Count           int
}

// Edges returns the page's items with graphene-style cursors.
func (c *Connection[T]) Edges() []*Edge[T] {
	edges := make([]*Edge[T], len(c.Page.Items))
	for i := range c.Page.Items {
		edges[i] = &Edge[T]{Node: &c.Page.Items[i], Cursor: shopfloor.EncodeCursor(c.Page.Offset + i)}
	}
	return edges
}

// PageInfo describes the page.
func (c *Connection[T]) PageInfo() *PageInfo {
	info := &PageInfo{
		HasNextPage:     c.Page.HasNextPage(),
		HasPreviousPage: c.Page.HasPreviousPage(),
		TotalCount:      c.Page.TotalCount,
		Count:           len(c.Page.Items),
	}
	if n := len(c.Page.Items); n > 0 {
		start, end := shopfloor.EncodeCursor(c.Page.Offset), shopfloor.EncodeCursor(c.Page.Offset+n-1)
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// TotalCount is the number of all matches.
func (c *Connection[T]) TotalCount() int { return c.Page.TotalCount }

// The connections and edges of the schema.
type (
	PartConnection                = Connection[shopfloor.Part]
	PartEdge                      = Edge[shopfloor.Part]
	PartInventoryConnection       = Connection[shopfloor.PartInventory]
	PartInventoryEdge             = Edge[shopfloor.PartInventory]
	LocationConnection            = Connection[shopfloor.Location]
	LocationEdge                  = Edge[shopfloor.Location]
	PartSubtypeConnection         = Connection[shopfloor.PartSubtype]
	PartSubtypeEdge               = Edge[shopfloor.PartSubtype]
	APIKeyConnection              = Connection[APIKey]
	APIKeyEdge                    = Edge[APIKey]
	UserConnection                = Connection[shopfloor.User]
	UserEdge                      = Edge[shopfloor.User]
	RoleConnection                = Connection[shopfloor.Role]
	RoleEdge                      = Edge[shopfloor.Role]
	PermissionGroupConnection     = Connection[shopfloor.PermissionGroup]
	PermissionGroupEdge           = Edge[shopfloor.PermissionGroup]
	TeamConnection                = Connection[shopfloor.Team]
	TeamEdge                      = Edge[shopfloor.Team]
	OauthAppConnection            = Connection[shopfloor.OAuthApp]
	OauthAppEdge                  = Edge[shopfloor.OAuthApp]
	UnitOfMeasurementConnection   = Connection[shopfloor.UnitOfMeasurement]
	UnitOfMeasurementEdge         = Edge[shopfloor.UnitOfMeasurement]
	IssueConnection               = Connection[shopfloor.Issue]
	IssueEdge                     = Edge[shopfloor.Issue]
	AttributeDefinitionConnection = Connection[shopfloor.AttributeDefinition]
	AttributeDefinitionEdge       = Edge[shopfloor.AttributeDefinition]
	BarcodeTemplateConnection     = Connection[shopfloor.BarcodeTemplate]
	BarcodeTemplateEdge           = Edge[shopfloor.BarcodeTemplate]
	RuleConnection                = Connection[shopfloor.Rule]
	RuleEdge                      = Edge[shopfloor.Rule]
	UserNotificationConnection    = Connection[shopfloor.Notification]
	UserNotificationEdge          = Edge[shopfloor.Notification]

	SupplierConnection                   = Connection[shopfloor.Supplier]
	SupplierEdge                         = Edge[shopfloor.Supplier]
	PurchaseOrderConnection              = Connection[shopfloor.PurchaseOrder]
	PurchaseOrderEdge                    = Edge[shopfloor.PurchaseOrder]
	PurchaseOrderLineConnection          = Connection[shopfloor.PurchaseOrderLine]
	PurchaseOrderLineEdge                = Edge[shopfloor.PurchaseOrderLine]
	PurchaseOrderApprovalLevelConnection = Connection[shopfloor.ApprovalLevel]
	PurchaseOrderApprovalLevelEdge       = Edge[shopfloor.ApprovalLevel]
	ReceiptConnection                    = Connection[shopfloor.Receipt]
	ReceiptEdge                          = Edge[shopfloor.Receipt]
	ReceiptItemConnection                = Connection[shopfloor.ReceiptItem]
	ReceiptItemEdge                      = Edge[shopfloor.ReceiptItem]

	WebhookReceiverConnection = Connection[shopfloor.WebhookReceiver]
	WebhookReceiverEdge       = Edge[shopfloor.WebhookReceiver]
	WebhookDeliveryConnection = Connection[shopfloor.WebhookDelivery]
	WebhookDeliveryEdge       = Edge[shopfloor.WebhookDelivery]
)
