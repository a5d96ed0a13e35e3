package model

import "github.com/shopfloor-dev/shopfloor"

// The run domain's connections.
type (
	RunConnection = Connection[shopfloor.Run]
	RunEdge       = Edge[shopfloor.Run]
)

// RunUpdateInput is updateRun's input (ION's documented name).
type RunUpdateInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.RunFields
}

// UpdateRunStepInput is updateRunStep's input.
type UpdateRunStepInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.RunStepFields
}

// CreateRunStepFieldInput is createRunStepField's input.
type CreateRunStepFieldInput struct {
	RunStepID int64 `json:"runStepId"`
	shopfloor.StepFieldFields
}

// UpdateRunStepFieldValueInput is updateRunStepFieldValue's input.
type UpdateRunStepFieldValueInput struct {
	ID int64 `json:"id"`
	EtagInput
	Value         any   `json:"value"`
	NotApplicable *bool `json:"notApplicable"`
}

// Payloads of the run domain's mutations; createRunStep's names its step
// step, as ION's clients read it.
type (
	RunPayload           struct{ Run *shopfloor.Run }
	CreateRunStepPayload struct{ Step *shopfloor.RunStep }
	RunStepPayload       struct{ RunStep *shopfloor.RunStep }
	RunStepFieldPayload  struct{ RunStepField *shopfloor.RunStepField }
)

// Time tracking's connection, inputs and payload.
type (
	SessionConnection = Connection[shopfloor.Session]
	SessionEdge       = Edge[shopfloor.Session]
	SessionPayload    struct{ Session *shopfloor.Session }
)

// CheckOutInput is checkOut's input.
type CheckOutInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.SessionFields
}

// UpdateSessionInput is updateSession's input.
type UpdateSessionInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.SessionFields
}
