package model

import "github.com/shopfloor-dev/shopfloor"

// SplitPartInventoryInput is splitPartInventory's input.
type SplitPartInventoryInput struct {
	ID int64 `json:"id"`
	EtagInput
	Quantity   float64 `json:"quantity"`
	LocationID *int64  `json:"locationId"`
}

// SplitPartInventoryPayload holds both rows of a split.
type SplitPartInventoryPayload struct {
	PartInventory    *shopfloor.PartInventory
	NewPartInventory *shopfloor.PartInventory
}

// PartInventoryVersionInput names an inventory row and its etag.
type PartInventoryVersionInput struct {
	ID int64 `json:"id"`
	EtagInput
}

// MergePartInventoryInput is mergePartInventory's input.
type MergePartInventoryInput struct {
	ID int64 `json:"id"`
	EtagInput
	PartInventories []PartInventoryVersionInput `json:"partInventories"`
}

// Versions returns the rows to merge with their etags.
func (in MergePartInventoryInput) Versions() []shopfloor.RowVersion {
	out := make([]shopfloor.RowVersion, len(in.PartInventories))
	for i, v := range in.PartInventories {
		out[i] = shopfloor.RowVersion{ID: v.ID, Etag: v.EtagInput.Value()}
	}
	return out
}

// UpdateContactInput is updateContact's input.
type UpdateContactInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.ContactFields
}

// UpdatePartKitInput is updatePartKit's input.
type UpdatePartKitInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PartKitFields
}

// UpdatePartKitItemInput is updatePartKitItem's input.
type UpdatePartKitItemInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.PartKitItemFields
}

// IssueItemToKitInput is issueItemToKit's input: the inventory, its etag
// and the kit item.
type IssueItemToKitInput struct {
	PartInventoryID int64 `json:"partInventoryId"`
	EtagInput
	PartKitItemID int64 `json:"partKitItemId"`
}

// MoveItemToInventoryInput is moveItemToInventory's input.
type MoveItemToInventoryInput struct {
	PartInventoryID int64 `json:"partInventoryId"`
	EtagInput
	LocationID *int64 `json:"locationId"`
}

// AddPartsToKitFromMbomInput is addPartsToKitFromMbom's input.
type AddPartsToKitFromMbomInput struct {
	EtagInput
	shopfloor.KitFromMbomFields
}

// MoveKitInventoryToLocationInput is moveKitInventoryToLocation's input.
type MoveKitInventoryToLocationInput struct {
	PartKitID int64 `json:"partKitId"`
	EtagInput
	LocationID int64 `json:"locationId"`
}

// SplitUnfulfilledPartKitInput is splitUnfulfilledPartKit's input.
type SplitUnfulfilledPartKitInput struct {
	PartKitID int64 `json:"partKitId"`
	EtagInput
}

// SplitUnfulfilledPartKitPayload holds both kits of a split.
type SplitUnfulfilledPartKitPayload struct {
	PartKit    *shopfloor.PartKit
	NewPartKit *shopfloor.PartKit
}

// UpdateCurrencyInput is updateCurrency's input.
type UpdateCurrencyInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.CurrencyFields
}

// UpdateReceiptInput is updateReceipt's input.
type UpdateReceiptInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.ReceiptFields
}

// ReorderPurchaseOrderLineInput is reorderPurchaseOrderLine's input.
type ReorderPurchaseOrderLineInput struct {
	ID int64 `json:"id"`
	EtagInput
	Index int `json:"index"`
}

// CurrencyPayload answers a currency mutation.
type CurrencyPayload struct{ Currency *shopfloor.Currency }

// Connections of currencies.
type (
	CurrencyConnection = Connection[shopfloor.Currency]
	CurrencyEdge       = Edge[shopfloor.Currency]
)

// Payloads of the kit and contact mutations.
type (
	ContactPayload     struct{ Contact *shopfloor.Contact }
	PartKitPayload     struct{ PartKit *shopfloor.PartKit }
	PartKitItemPayload struct{ PartKitItem *shopfloor.PartKitItem }
)

// Connections of kits.
type (
	PartKitConnection = Connection[shopfloor.PartKit]
	PartKitEdge       = Edge[shopfloor.PartKit]
)
