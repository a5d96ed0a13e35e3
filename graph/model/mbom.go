package model

import "github.com/shopfloor-dev/shopfloor"

// The mBOM versions' connections.
type (
	MBomConnection = Connection[shopfloor.MBom]
	MBomEdge       = Edge[shopfloor.MBom]
)

// UpdateMBomInput is updateMbom's input.
type UpdateMBomInput struct {
	ID int64 `json:"id"`
	EtagInput
	Status string `json:"status"`
}
