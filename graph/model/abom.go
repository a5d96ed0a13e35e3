package model

import "github.com/shopfloor-dev/shopfloor"

// The aBOM's connections.
type (
	BuildRequirementConnection = Connection[shopfloor.BuildRequirement]
	BuildRequirementEdge       = Edge[shopfloor.BuildRequirement]
	ABomItemConnection         = Connection[shopfloor.ABomItem]
	ABomItemEdge               = Edge[shopfloor.ABomItem]
)

// UpdateABomItemInput is updateAbomItem's input.
type UpdateABomItemInput struct {
	ID int64 `json:"id"`
	EtagInput
	Quantity *float64 `json:"quantity"`
}

// Payloads of the aBOM's mutations.
type (
	BuildRequirementPayload struct{ BuildRequirement *shopfloor.BuildRequirement }
	ABomInstallationPayload struct{ AbomInstallation *shopfloor.ABomInstallation }
	ABomItemPayload         struct{ AbomItem *shopfloor.ABomItem }
)
