package shopfloor

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// DatagridColumn is a column of a datagrid step, or of a run step's copy
// of it (RunStepID set; StepID stays the origin step).
type DatagridColumn struct {
	ID            int64
	OrgID         int64
	StepID        int64
	RunStepID     *int64
	Index         int
	Header        *string
	Type          string // FieldTypes
	Unit          *string
	Options       any
	Editable      bool
	Settable      bool
	SignoffRoleID *int64
	// LastSessionID is the latest time-tracking session on the run step of
	// the person who last set a cell of the column (nil: none).
	LastSessionID *int64
	Etag          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedByID   *int64
	UpdatedByID   *int64
}

// DatagridRow is a row of a datagrid step, or of a run step's copy of it
// (RunStepID set; StepID stays the origin step).
type DatagridRow struct {
	ID                 int64
	OrgID              int64
	StepID             int64
	RunStepID          *int64
	Index              int
	Required           bool
	AllowNotApplicable bool
	Etag               string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	CreatedByID        *int64
	UpdatedByID        *int64
}

// DatagridValue is one cell: a row's value at a column, typed by the column.
type DatagridValue struct {
	ID            int64
	OrgID         int64
	RowID         int64
	ColumnID      int64
	Type          string // the column's
	Value         any
	NotApplicable bool
	Etag          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CreatedByID   *int64
	UpdatedByID   *int64
}

// DatagridColumnFields make or change a column; nil means "not given"
// (StepID or RunStepID, and Index, are a new column's only).
type DatagridColumnFields struct {
	StepID        int64
	RunStepID     *int64
	Index         *int
	Header        *string
	Type          *string
	Unit          *string
	Options       any
	Editable      *bool
	Settable      *bool
	SignoffRoleID *int64
}

// Validate normalizes and validates a column's fields; typ is the column's
// type before the change (ignored for a new column, STRING unless given).
func (f *DatagridColumnFields) Validate(create bool, typ string) error {
	c := &check{entity: "DatagridColumn"}
	if create {
		c.owner(f.StepID, f.RunStepID)
	}
	c.text("header", f.Header, false, MaxName)
	if create && f.Type == nil {
		f.Type = ptr("STRING")
	}
	c.enum("type", f.Type, FieldTypes...)
	if f.Type != nil {
		typ = *f.Type
	}
	c.text("unit", f.Unit, false, FieldMaxUnit)
	c.json("options", f.Options, FieldMaxOptions)
	c.choices("options", typ, f.Options)
	c.index("index", f.Index)
	return c.result()
}

// DatagridRowFields make or change a row; nil means "not given" (StepID
// or RunStepID, and Index, are a new row's only).
type DatagridRowFields struct {
	StepID             int64
	RunStepID          *int64
	Index              *int
	Required           *bool
	AllowNotApplicable *bool
}

// Validate validates a row's fields.
func (f *DatagridRowFields) Validate(create bool) error {
	c := &check{entity: "DatagridRow"}
	if create {
		c.owner(f.StepID, f.RunStepID)
	}
	c.index("index", f.Index)
	return c.result()
}

// owner checks that a new column or row names its step: a procedure's
// (stepId) or a run's (runStepId; stepId, if also given, its origin step,
// as a run step's column reads back).
func (c *check) owner(stepID int64, runStepID *int64) {
	if stepID == 0 && runStepID == nil {
		c.fail("stepId", "or runStepId is required.")
	}
}

// DatagridMaxIndex bounds column and row indexes.
const DatagridMaxIndex = 10000

func (c *check) index(field string, i *int) {
	if i != nil && (*i < 0 || *i > DatagridMaxIndex) {
		c.fail(field, "must be between 0 and %d.", DatagridMaxIndex)
	}
}

// DatagridValueCheck validates a cell's value against its column
// (FieldValueCheck). It returns the value to store.
func DatagridValueCheck(col *DatagridColumn, value any) (any, error) {
	return FieldValueCheck("DatagridValue", "column", col.Type, col.Options, value)
}

// RunDatagridValueCheck validates a cell entered in a run step's grid as
// RunStepFieldValueCheck does a field's value: only while the step
// (status stepStatus) is IN_PROGRESS, marked not applicable only where the
// row allows it, a SIGNOFF cell of a column with a sign-off role only by a
// holder of that role (holdsSignoffRole), the value typed by the column.
// It returns the value to store.
func RunDatagridValueCheck(col *DatagridColumn, row *DatagridRow, stepStatus string, value any, notApplicable *bool, holdsSignoffRole bool) (any, error) {
	if err := enteredInProgress("DatagridValue", row.RunStepID, stepStatus); err != nil {
		return nil, err
	}
	if notApplicable != nil && *notApplicable && !row.AllowNotApplicable {
		return nil, Errorf(CodeInvalid, "DatagridValue notApplicable is not allowed for row %d.", row.ID)
	}
	if col.Type == "SIGNOFF" && col.SignoffRoleID != nil && !holdsSignoffRole {
		return nil, Errorf(CodeInvalid, "DatagridValue value must be signed off by a holder of role %d.", *col.SignoffRoleID)
	}
	return DatagridValueCheck(col, value)
}

// FieldValueCheck validates a value entered in an input of type typ (a
// datagrid column, a run step field), named by noun in messages: a NUMBER
// is a number (or a numeric string, kept as the number), a BOOLEAN or a
// SIGNOFF a boolean, a SELECT one of the options, a MULTISELECT a list of
// them, a DATETIME an ISO 8601 date, a FILE_ATTACHMENT an attachment id, a
// STRING a string. Null clears the value. It returns the value to store.
func FieldValueCheck(entity, noun, typ string, opts, value any) (any, error) {
	c := &check{entity: entity}
	bad := func(want string) { c.fail("value", "must be %s for a %s %s.", want, typ, noun) }
	if value == nil {
		return nil, nil
	}
	options, _ := opts.([]any)
	switch typ {
	case "NUMBER":
		switch v := value.(type) {
		case json.Number:
			f, err := v.Float64()
			if err != nil {
				bad("a number")
			}
			value = f
		case string:
			var f float64
			if _, err := fmt.Sscan(v, &f); err != nil {
				bad("a number")
			}
			value = f
		case float64, int64, int:
		default:
			bad("a number")
		}
	case "BOOLEAN", "SIGNOFF":
		if _, ok := value.(bool); !ok {
			bad("true or false")
		}
	case "SELECT":
		if !slices.Contains(options, value) {
			bad("one of the " + noun + "'s options")
		}
	case "MULTISELECT":
		list, ok := value.([]any)
		if !ok {
			bad("a list of the " + noun + "'s options")
		}
		for _, v := range list {
			if !slices.Contains(options, v) {
				bad("a list of the " + noun + "'s options")
			}
		}
	case "DATETIME":
		s, ok := value.(string)
		if !ok {
			bad("an ISO 8601 date")
		} else if c.date("value", &s); c.err == nil {
			value = s
		}
	case "FILE_ATTACHMENT":
		if _, err := ParseID(value); err != nil {
			bad("a file attachment id")
		}
	default:
		if s, ok := value.(string); !ok {
			bad("a string")
		} else {
			c.length("value", s, StepMaxContent)
		}
	}
	return value, c.result()
}
