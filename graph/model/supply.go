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
