package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var stepFields = &table[shopfloor.StepField]{
	entity: "StepField", name: "step_fields", alias: "sf",
	selects: "sf.id, sf.org_id, sf.step_id, sf.name, sf.type, sf.unit, sf.options, sf.display, sf.required, sf.allow_not_applicable, " +
		"sf.allowed_ion_type, sf.signoff_role_id, sf.peer_review_required, sf.validations, sf.etag, sf.created_at, sf.updated_at, sf.created_by_id, sf.updated_by_id",
	fields: map[string]column{"id": {"sf.id", kindID}, "stepId": {"sf.step_id", kindID}},
	dest: func(v *shopfloor.StepField) []any {
		return []any{&v.ID, &v.OrgID, &v.StepID, &v.Name, &v.Type, &v.Unit, jsonCol[any]{&v.Options}, jsonCol[any]{&v.Display}, &v.Required, &v.AllowNotApplicable,
			jsonCol[any]{&v.AllowedIonType}, &v.SignoffRoleID, &v.PeerReviewRequired, jsonCol[[]shopfloor.StepFieldValidation]{&v.Validations}, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// StepFieldsByStepIDs returns the fields of each step, in creation order.
func (s *Store) StepFieldsByStepIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.StepField, error) {
	return grouped(ctx, s, stepFields, "", "sf.step_id", ids)
}

func stepFieldChanges(f shopfloor.StepFieldFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "type", f.Type)
	setIf(&c, "unit", f.Unit)
	setJSON(&c, "options", f.Options)
	setJSON(&c, "display", f.Display)
	setIf(&c, "required", f.Required)
	setIf(&c, "allow_not_applicable", f.AllowNotApplicable)
	setJSON(&c, "allowed_ion_type", f.AllowedIonType)
	setIf(&c, "signoff_role_id", f.SignoffRoleID)
	setIf(&c, "peer_review_required", f.PeerReviewRequired)
	if f.Validations != nil {
		setJSON(&c, "validations", f.Validations)
	}
	return c
}

// CreateStepField adds a field to a step of a draft (or a standard step).
func (s *Store) CreateStepField(ctx context.Context, stepID int64, f shopfloor.StepFieldFields) (*shopfloor.StepField, error) {
	return mutate(ctx, s, stepFields, "CreateStepField", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if _, err := s.editableStep(ctx, tx, p, stepID); err != nil {
			return 0, err
		}
		if err := f.Validate(true, ""); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, roles, p, f.SignoffRoleID); err != nil {
			return 0, err
		}
		c := stepFieldChanges(f)
		c.set("step_id", stepID)
		return s.insert(ctx, tx, stepFields.name, p, c)
	})
}

// UpdateStepField changes a field if etag is current and its step may change.
func (s *Store) UpdateStepField(ctx context.Context, id int64, etag string, f shopfloor.StepFieldFields) (*shopfloor.StepField, error) {
	return mutate(ctx, s, stepFields, "UpdateStepField", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		field, err := getIn(ctx, s, tx, stepFields, p, id)
		if err != nil {
			return 0, err
		}
		if err := f.Validate(false, field.Type); err != nil {
			return 0, err
		}
		if _, err := s.editableStep(ctx, tx, p, field.StepID); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, roles, p, f.SignoffRoleID); err != nil {
			return 0, err
		}
		return id, update(ctx, s, tx, stepFields, p, id, etag, stepFieldChanges(f))
	})
}

// DeleteStepField soft-deletes a field of a step that may change.
func (s *Store) DeleteStepField(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, stepFields, "DeleteStepField", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		field, err := getIn(ctx, s, tx, stepFields, p, id)
		if err != nil {
			return err
		}
		_, err = s.editableStep(ctx, tx, p, field.StepID)
		return err
	})
}
