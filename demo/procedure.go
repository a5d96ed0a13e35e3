package demo

import (
	"context"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedProcedure configures the release approval (one reviewer holding
// Admin) and releases a procedure through it: nested steps with fields of
// several types, a datagrid with values, a dependency, a label and
// attributes, so a run can start from it at once.
func seedProcedure(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	admins, err := s.Roles(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": shopfloor.RoleAdmin}}})
	if err != nil || len(admins.Items) != 1 {
		return err
	}
	admin := admins.Items[0].ID
	if _, err := s.CreateApprovalRole(ctx, shopfloor.GateProcedureRelease, shopfloor.ApprovalRoleFields{RoleID: admin, Count: 1}); err != nil {
		return err
	}
	attrs := shopfloor.Attributes{{Key: "Program", Type: ptr("STRING"), Value: spec.prefix + "-1"}}
	proc, err := s.CreateProcedure(ctx, shopfloor.ProcedureFields{Title: ptr(spec.prefix + " Final assembly"), Type: ptr("BUILD"),
		Description: ptr("Assemble, torque and inspect the main unit."), Attributes: &attrs})
	if err != nil {
		return err
	}
	step := func(parent *int64, title, typ string) (*shopfloor.Step, error) {
		slate := []any{map[string]any{"type": "paragraph", "children": []any{map[string]any{"text": title + ": follow the work instruction."}}}}
		return s.CreateStep(ctx, shopfloor.StepFields{ProcedureID: &proc.ID, ParentID: parent, Title: ptr(title), Type: ptr(typ), SlateContent: slate})
	}
	prepare, err := step(nil, "Prepare workstation", "CONTENT")
	if err != nil {
		return err
	}
	tools, err := step(&prepare.ID, "Verify torque tools", "CONTENT")
	if err != nil {
		return err
	}
	if _, err := step(&tools.ID, "Record calibration", "CONTENT"); err != nil {
		return err
	}
	serial, err := s.CreateStepField(ctx, tools.ID, shopfloor.StepFieldFields{Name: ptr("Tool serial number"), Type: ptr("STRING"), Required: ptr(true)})
	if err != nil {
		return err
	}
	for _, f := range []shopfloor.StepFieldFields{
		{Name: ptr("Calibrated torque"), Type: ptr("NUMBER"), Unit: ptr("N·m"),
			Validations: []shopfloor.StepFieldValidation{{FunctionID: ptr(int64(1))}, {FunctionID: ptr(int64(2)), FieldID: &serial.ID}}},
		{Name: ptr("Calibration sticker present"), Type: ptr("BOOLEAN")},
		{Name: ptr("Wrench size"), Type: ptr("SELECT"), Options: []any{"10 mm", "13 mm"}},
		{Name: ptr("Lead sign-off"), Type: ptr("SIGNOFF"), SignoffRoleID: &admin},
	} {
		if _, err := s.CreateStepField(ctx, tools.ID, f); err != nil {
			return err
		}
	}
	torque, err := step(nil, "Torque log", "DATAGRID")
	if err != nil {
		return err
	}
	if torque, err = s.UpdateStepAttribute(ctx, shopfloor.AttributeFields{OwnerID: &torque.ID, Key: ptr("Target torque (N·m)"), Value: 24.5, Etag: torque.Etag}); err != nil {
		return err
	}
	fastener, err := s.CreateDatagridColumn(ctx, shopfloor.DatagridColumnFields{StepID: torque.ID, Index: ptr(0), Header: ptr("Fastener"), Type: ptr("STRING")})
	if err != nil {
		return err
	}
	value, err := s.CreateDatagridColumn(ctx, shopfloor.DatagridColumnFields{StepID: torque.ID, Index: ptr(1), Header: ptr("Torque (N·m)"), Type: ptr("NUMBER")})
	if err != nil {
		return err
	}
	for i, bolt := range []string{"M6 flange bolt", "M8 mount bolt"} {
		row, err := s.CreateDatagridRow(ctx, shopfloor.DatagridRowFields{StepID: torque.ID, Index: ptr(i), Required: ptr(true)})
		if err != nil {
			return err
		}
		if _, err := s.SetDatagridValue(ctx, row.ID, fastener.ID, "", bolt, nil); err != nil {
			return err
		}
		if _, err := s.SetDatagridValue(ctx, row.ID, value.ID, "", 9.5+float64(i)*15, nil); err != nil {
			return err
		}
	}
	inspect, err := step(nil, "Final inspection", "CONTENT")
	if err != nil {
		return err
	}
	if _, err := s.CreateStepEdge(ctx, inspect.ID, torque.ID); err != nil {
		return err
	}
	label, err := s.CreateLabel(ctx, shopfloor.LabelFields{Value: ptr("Flight hardware")})
	if err != nil {
		return err
	}
	if err := s.AddLabelToProcedureFamily(ctx, label.ID, proc.FamilyID); err != nil {
		return err
	}
	if proc, err = s.UpdateProcedure(ctx, proc.ID, proc.Etag, shopfloor.ProcedureFields{Status: ptr(shopfloor.ProcedureInReview)}); err != nil {
		return err
	}
	if _, err := s.CreateReview(ctx, proc.ID, ptr("Checked against the drawing.")); err != nil {
		return err
	}
	_, err = s.UpdateProcedure(ctx, proc.ID, proc.Etag, shopfloor.ProcedureFields{Status: ptr(shopfloor.ProcedureReleased)})
	return err
}
