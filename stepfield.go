package shopfloor

import (
	"encoding/json"
	"time"
)

// StepField is an input a step asks for when it runs: a value of a type,
// perhaps signed off by a role.
type StepField struct {
	ID                 int64
	OrgID              int64
	StepID             int64
	Name               string
	Type               string // FieldTypes
	Unit               *string
	Options            any
	Display            any
	Required           bool
	AllowNotApplicable bool
	AllowedIonType     any
	SignoffRoleID      *int64
	PeerReviewRequired bool
	Validations        []StepFieldValidation
	Etag               string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	CreatedByID        *int64
	UpdatedByID        *int64
}

// FieldTypes are the types of step fields and datagrid columns.
var FieldTypes = []string{"STRING", "NUMBER", "BOOLEAN", "SELECT", "MULTISELECT", "DATETIME", "SIGNOFF", "FILE_ATTACHMENT"}

// StepFieldFields are the writable fields of a step field; nil means "not
// given".
type StepFieldFields struct {
	Name               *string
	Type               *string
	Unit               *string
	Options            any
	Display            any
	Required           *bool
	AllowNotApplicable *bool
	AllowedIonType     any
	SignoffRoleID      *int64
	PeerReviewRequired *bool
	Validations        []StepFieldValidation // nil: not given
}

// StepFieldValidation links a step field to a validation function, perhaps
// applied with another field of the step.
type StepFieldValidation struct {
	FunctionID *int64 `json:"functionId"`
	FieldID    *int64 `json:"fieldId"`
}

// FieldMaxValidations is the most validations a step field holds.
const FieldMaxValidations = 16

// Limits of a step field's texts and JSON values.
const (
	FieldMaxUnit    = 64
	FieldMaxOptions = 64 << 10 // bytes of JSON, for options and display
)

// Validate normalizes and validates step field fields; typ is the field's
// type after the change (for an update, the stored one unless given).
func (f *StepFieldFields) Validate(create bool, typ string) error {
	c := &check{entity: "StepField"}
	c.text("name", f.Name, create, MaxName)
	if create && f.Type == nil {
		c.fail("type", "is required.")
	}
	c.enum("type", f.Type, FieldTypes...)
	if f.Type != nil {
		typ = *f.Type
	}
	c.text("unit", f.Unit, false, FieldMaxUnit)
	c.json("options", f.Options, FieldMaxOptions)
	c.json("display", f.Display, FieldMaxOptions)
	c.json("allowedIonType", f.AllowedIonType, MaxName)
	c.choices("options", typ, f.Options)
	c.count("validations", len(f.Validations), FieldMaxValidations)
	return c.result()
}

// choices checks that a SELECT or MULTISELECT has its options: a list of
// at least one choice.
func (c *check) choices(field, typ string, options any) {
	if typ != "SELECT" && typ != "MULTISELECT" || options == nil {
		return
	}
	if list, ok := options.([]any); !ok || len(list) == 0 {
		c.fail(field, "must be a non-empty list for type %s.", typ)
	}
}

// json checks that v encodes as at most maxBytes of JSON.
func (c *check) json(field string, v any, maxBytes int) {
	if v == nil {
		return
	}
	if raw, err := json.Marshal(v); err != nil || len(raw) > maxBytes {
		c.fail(field, "must be at most %d bytes of JSON.", maxBytes)
	}
}
