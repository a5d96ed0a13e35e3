package model

import "github.com/shopfloor-dev/shopfloor"

// The BOM domain's connections.
type (
	MBomItemConnection       = Connection[shopfloor.MBomItem]
	MBomItemEdge             = Edge[shopfloor.MBomItem]
	MBomSubstituteConnection = Connection[shopfloor.MBomSubstitute]
	MBomSubstituteEdge       = Edge[shopfloor.MBomSubstitute]
)

// UpdateMBomItemInput is updateMbomItem's input.
type UpdateMBomItemInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.MBomItemFields
}

// CreateMBomSubstituteInput is createMbomSubstitute's input.
type CreateMBomSubstituteInput struct {
	MBomItemID int64 `json:"mbomItemId"`
	PartID     int64 `json:"partId"`
}

// CreateMBomItemReferenceDesignatorInput is
// createMbomItemReferenceDesignator's input.
type CreateMBomItemReferenceDesignatorInput struct {
	MBomItemID int64  `json:"mbomItemId"`
	Value      string `json:"value"`
}

// CreateOrUpdateMultipleMBomsNotationInput is createOrUpdateMultipleMboms'
// input: the rows in the notation importerType names (the other list comes
// empty).
type CreateOrUpdateMultipleMBomsNotationInput struct {
	ImporterType string              `json:"importerType"`
	DepthInputs  []shopfloor.MBomRow `json:"depthInputs"`
	LevelInputs  []shopfloor.MBomRow `json:"levelInputs"`
}

// Payloads of the BOM domain's mutations.
type (
	MBomItemPayload                    struct{ MbomItem *shopfloor.MBomItem }
	MBomSubstitutePayload              struct{ MbomSubstitute *shopfloor.MBomSubstitute }
	MBomItemReferenceDesignatorPayload struct {
		MbomItemReferenceDesignator *shopfloor.MBomReferenceDesignator
	}
)
