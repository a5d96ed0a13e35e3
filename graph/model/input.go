package model

import "github.com/shopfloor-dev/shopfloor"

// EtagInput is the etag an update or delete carries back: ION's clients send
// it as etag or as _etag.
type EtagInput struct {
	EtagValue      *string `json:"etag"`
	UnderscoreEtag *string `json:"_etag"`
}

// Value returns the etag given under either name, or "" when none is.
func (e EtagInput) Value() string {
	for _, v := range []*string{e.EtagValue, e.UnderscoreEtag} {
		if v != nil && *v != "" {
			return *v
		}
	}
	return ""
}

// UpdatePartInput is updatePart's input.
type UpdatePartInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PartFields
}

// CreatePartRevisionInput is createPartRevision's input.
type CreatePartRevisionInput struct {
	PartID   int64   `json:"partId"`
	Revision *string `json:"revision"`
	EtagInput
}

// UpdatePartInventoryInput is updatePartInventory's input.
type UpdatePartInventoryInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PartInventoryFields
}

// UpdateLocationInput is updateLocation's input.
type UpdateLocationInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.LocationFields
}

// UpdateWebhookReceiverInput is updateWebhookReceiver's input.
type UpdateWebhookReceiverInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.WebhookReceiverFields
}

// UpdateWebhookSubscriptionInput is updateWebhookSubscription's input.
type UpdateWebhookSubscriptionInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.WebhookSubscriptionFields
}

// UpdatePartSubtypeInput is updatePartSubtype's input.
type UpdatePartSubtypeInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PartSubtypeFields
}

// PartSubtypeToPartInput tags or untags a part.
type PartSubtypeToPartInput struct {
	PartID        int64 `json:"partId"`
	PartSubtypeID int64 `json:"partSubtypeId"`
	EtagInput
}

// Payloads of the mutations, named after the entity as ION's are.
type (
	PartPayload              struct{ Part *shopfloor.Part }
	PartInventoryPayload     struct{ PartInventory *shopfloor.PartInventory }
	LocationPayload          struct{ Location *shopfloor.Location }
	PartSubtypePayload       struct{ PartSubtype *shopfloor.PartSubtype }
	UnitOfMeasurementPayload struct {
		UnitOfMeasurement *shopfloor.UnitOfMeasurement
	}
	WebhookReceiverPayload     struct{ WebhookReceiver *shopfloor.WebhookReceiver }
	WebhookSubscriptionPayload struct {
		WebhookSubscription *shopfloor.WebhookSubscription
	}
	DeletePayload struct{ ID int64 }
)

// APIKeyInput selects an API key, and says what updateApiKey changes.
type APIKeyInput struct {
	ClientID         string `json:"clientId"`
	Enabled          *bool  `json:"enabled"`
	RegenerateSecret *bool  `json:"regenerateSecret"`
	EtagInput
}

// UpdateUserInput is updateUser's input.
type UpdateUserInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.UserFields
}

// UpdateOrganizationInput is updateOrganization's input.
type UpdateOrganizationInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.OrganizationFields
}

// UpdateIssueInput is updateIssue's input.
type UpdateIssueInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.IssueFields
}

// UpdateIssueAttributeInput is updateIssueAttribute's input: the attribute
// by id, or by issueId and key; the etag is the attribute's Etag.
type UpdateIssueAttributeInput struct {
	ID      *int64  `json:"id"`
	IssueID *int64  `json:"issueId"`
	Key     *string `json:"key"`
	Value   any     `json:"value"`
	EtagInput
}

// UpdateRuleInput is updateRule's input.
type UpdateRuleInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.RuleFields
}

// OrganizationAttributeInput defines an attribute key of an entity type.
type OrganizationAttributeInput struct {
	EtagInput
	shopfloor.AttributeDefinitionFields
}

// UpdateSupplierInput is updateSupplier's input.
type UpdateSupplierInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.SupplierFields
}

// UpdatePurchaseOrderInput is updatePurchaseOrder's input.
type UpdatePurchaseOrderInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PurchaseOrderFields
}

// UpdatePurchaseOrderLineInput is updatePurchaseOrderLine's input.
type UpdatePurchaseOrderLineInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PurchaseOrderLineFields
}

// UpdatePurchaseOrderFeeInput is updatePurchaseOrderFee's input.
type UpdatePurchaseOrderFeeInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PurchaseOrderFeeFields
}
