package model

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
)

// The procedure domain's connections and edges. StepEdgeOfConnection is an
// edge of the steps list; StepEdge is ION's name for a dependency.
type (
	ProcedureConnection             = Connection[shopfloor.Procedure]
	ProcedureEdge                   = Edge[shopfloor.Procedure]
	StepConnection                  = Connection[shopfloor.Step]
	StepEdgeOfConnection            = Edge[shopfloor.Step]
	LabelConnection                 = Connection[shopfloor.Label]
	LabelEdge                       = Edge[shopfloor.Label]
	ProcedureApprovalRoleConnection = Connection[shopfloor.ApprovalRole]
	ProcedureApprovalRoleEdge       = Edge[shopfloor.ApprovalRole]
	DatagridColumnConnection        = Connection[shopfloor.DatagridColumn]
	DatagridColumnEdge              = Edge[shopfloor.DatagridColumn]
	DatagridRowConnection           = Connection[shopfloor.DatagridRow]
	DatagridRowEdge                 = Edge[shopfloor.DatagridRow]
)

// IonValue is what a datagrid cell names in ION: a User (the signer of a
// SIGNOFF cell).
type IonValue interface{}

// UpdateProcedureInput is updateProcedure's input.
type UpdateProcedureInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.ProcedureFields
}

// CreateProcedureVersionInput is createProcedureVersion's input.
type CreateProcedureVersionInput struct {
	ProcedureID int64 `json:"procedureId"`
	EtagInput
}

// UpdateStepInput is updateStep's input: Parent and Position move the step
// (a parentId given as null moves it to the top level).
type UpdateStepInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.StepFields
	Parent   graphql.Omittable[*int64]
	Position *int
}

// Move is where the input moves the step.
func (in UpdateStepInput) Move() shopfloor.StepMove {
	parent, set := in.Parent.ValueOK()
	m := shopfloor.StepMove{Position: in.Position, ParentSet: set}
	if set {
		m.ParentID = parent
	}
	return m
}

// CreateStepFieldInput is createStepField's input.
type CreateStepFieldInput struct {
	StepID int64 `json:"stepId"`
	shopfloor.StepFieldFields
}

// UpdateStepFieldInput is updateStepField's input.
type UpdateStepFieldInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.StepFieldFields
}

// UpdateDatagridColumnInput is updateDatagridColumn's input.
type UpdateDatagridColumnInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.DatagridColumnFields
}

// UpdateDatagridRowInput is updateDatagridRow's input.
type UpdateDatagridRowInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.DatagridRowFields
}

// SetDatagridValueInput is setDatagridValue's input.
type SetDatagridValueInput struct {
	RowID    int64 `json:"rowId"`
	ColumnID int64 `json:"columnId"`
	EtagInput
	Value         any   `json:"value,omitempty"`
	NotApplicable *bool `json:"notApplicable,omitempty"`
}

// ReorderDatagridInput is reorderDatagridColumn's and reorderDatagridRow's
// input.
type ReorderDatagridInput struct {
	ID int64 `json:"id"`
	EtagInput
	shopfloor.DatagridPlace
}

// Payloads of the procedure domain's mutations.
type (
	ProcedurePayload      struct{ Procedure *shopfloor.Procedure }
	StepPayload           struct{ Step *shopfloor.Step }
	StepFieldPayload      struct{ StepField *shopfloor.StepField }
	StepEdgePayload       struct{ StepEdge *shopfloor.StepEdge }
	DatagridColumnPayload struct {
		DatagridColumn *shopfloor.DatagridColumn
	}
	DatagridRowPayload   struct{ DatagridRow *shopfloor.DatagridRow }
	DatagridValuePayload struct {
		DatagridValue *shopfloor.DatagridValue
	}
	LabelPayload                 struct{ Label *shopfloor.Label }
	ReviewPayload                struct{ Review *shopfloor.Review }
	ProcedureApprovalRolePayload struct {
		ApprovalRole *shopfloor.ApprovalRole
	}
)
