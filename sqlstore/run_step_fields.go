package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

var runStepFields = &table[shopfloor.RunStepField]{
	entity: "RunStepField", name: "run_step_fields", alias: "rf",
	selects: "rf.id, rf.org_id, rf.run_step_id, rf.origin_field_id, rf.name, rf.type, rf.unit, rf.options, rf.required, rf.allow_not_applicable, " +
		"rf.validations, rf.value, rf.not_applicable, rf.etag, rf.created_at, rf.updated_at, rf.created_by_id, rf.updated_by_id",
	derived: slices.Concat([]derived{omittable("rf.unit", "unit"), omittable("rf.options", "options"), omittable("rf.validations", "validations"),
		{"rf.origin_field_id", nullID, []string{"originFieldId"}}}, recorded("rf"), authored("rf")),
	fields: map[string]column{"id": {"rf.id", kindID}, "runStepId": {"rf.run_step_id", kindID}},
	dest: func(v *shopfloor.RunStepField) []any {
		return []any{&v.ID, &v.OrgID, &v.RunStepID, &v.OriginFieldID, &v.Name, &v.Type, &v.Unit, jsonCol[any]{&v.Options}, &v.Required, &v.AllowNotApplicable,
			jsonCol[[]shopfloor.StepFieldValidation]{&v.Validations}, jsonCol[any]{&v.Value}, &v.NotApplicable, &v.Etag, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, &v.CreatedByID, &v.UpdatedByID}
	},
}

// RunStepFieldsByStepIDs returns the fields of each run step, in creation
// order.
func (s *Store) RunStepFieldsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.RunStepField, error) {
	return grouped(ctx, s, runStepFields, "", "rf.run_step_id", ids)
}

// CreateRunStepField adds a field to a redlined step of a run.
func (s *Store) CreateRunStepField(ctx context.Context, runStepID int64, f shopfloor.StepFieldFields) (*shopfloor.RunStepField, error) {
	return mutate(ctx, s, runStepFields, "CreateRunStepField", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		step, _, err := s.lockRunStep(ctx, tx, p, runStepID)
		if err != nil {
			return 0, err
		}
		if err := f.Validate(true, ""); err != nil {
			return 0, err
		}
		if err := shopfloor.RunStepEditable(step.Status); err != nil {
			return 0, err
		}
		var c changes
		c.set("run_step_id", step.ID)
		setIf(&c, "name", f.Name)
		setIf(&c, "type", f.Type)
		setIf(&c, "unit", f.Unit)
		setJSON(&c, "options", f.Options)
		setIf(&c, "required", f.Required)
		setIf(&c, "allow_not_applicable", f.AllowNotApplicable)
		if f.Validations != nil {
			setJSON(&c, "validations", f.Validations)
		}
		return s.insert(ctx, tx, runStepFields.name, p, c)
	})
}

// UpdateRunStepFieldValue enters a field's value (typed by the field) while
// its step is in progress, if etag is current. It changes the field alone:
// the step and the run keep their etags.
func (s *Store) UpdateRunStepFieldValue(ctx context.Context, id int64, etag string, value any, notApplicable *bool) (*shopfloor.RunStepField, error) {
	return mutate(ctx, s, runStepFields, "UpdateRunStepFieldValue", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		field, err := getIn(ctx, s, tx, runStepFields, p, id)
		if err != nil {
			return 0, err
		}
		step, _, err := s.lockRunStep(ctx, tx, p, field.RunStepID)
		if err != nil {
			return 0, err
		}
		value, err := shopfloor.RunStepFieldValueCheck(field, step.Status, value, notApplicable)
		if err != nil {
			return 0, err
		}
		var c changes
		c.set("value", jsonText(value))
		setIf(&c, "not_applicable", notApplicable)
		return id, update(ctx, s, tx, runStepFields, p, id, etag, c)
	})
}
