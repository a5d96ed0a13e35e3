package demo

import (
	"context"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// slate is a one-paragraph Slate document, as ION's conditions hold.
func slate(text string) any {
	return []any{map[string]any{"type": "paragraph", "children": []any{map[string]any{"text": text}}}}
}

// seedQuality defines custom attributes (and gives the warehouse one), opens an NCR on the first
// serialized unit, adds a location barcode template and label, labels the
// NCR and the warehouse Quarantine, adds a (disabled) rule, and greets
// every user with a notification.
func seedQuality(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	for _, d := range []struct {
		entityType, key, typ string
		options              []string
	}{
		{"PART", "Material", "STRING", nil},
		{"PART", "Mass (g)", "NUMBER", nil},
		{"PART_INVENTORY", "Inspected on", "DATETIME", nil},
		{"ISSUE", "Defect Code", "SELECT", []string{"DIMENSIONAL", "COSMETIC", "MATERIAL", "DOCUMENTATION"}},
		{"ISSUE", "Containment required", "BOOLEAN", nil},
		{"LOCATION", "Climate controlled", "BOOLEAN", nil},
		{"PROCEDURE", "Program", "STRING", nil},
		{"STEP", "Target torque (N·m)", "NUMBER", nil},
		{"RUN_STEP", "Operator note", "RICH_TEXT", nil},
	} {
		if _, err := s.SetAttributeDefinition(ctx, d.entityType, "", shopfloor.AttributeDefinitionFields{Key: &d.key, Type: &d.typ, Options: d.options}); err != nil {
			return err
		}
	}
	units, err := s.PartInventories(ctx, shopfloor.ListOptions{Filters: map[string]any{"serialNumber": map[string]any{"ilike": "SN-%"}}, First: ptr(1)})
	if err != nil {
		return err
	}
	unit := units.Items[0]
	issue, err := s.CreateIssue(ctx, shopfloor.IssueFields{
		Title:             ptr(spec.prefix + " bracket bore out of tolerance"),
		Description:       ptr("Bore measured 6.42 mm at receiving inspection."),
		ExpectedCondition: slate("Bore diameter 6.35 mm ± 0.05 mm per drawing rev A."),
		CauseCondition:    slate("Reamer worn past its replacement interval."),
		PartInventoryID:   &unit.ID,
		Attributes: &shopfloor.Attributes{
			{Key: "Defect Code", Value: "DIMENSIONAL"},
			{Key: "Containment required", Value: true},
		},
	})
	if err != nil {
		return err
	}
	tpl, err := s.CreateBarcodeTemplate(ctx, shopfloor.BarcodeTemplateFields{Name: ptr("Location label 4x2"), EntityType: ptr("LOCATIONS")})
	if err != nil {
		return err
	}
	warehouse, err := s.Locations(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": "Main Warehouse"}}})
	if err != nil {
		return err
	}
	if _, err := s.UpdateLocationAttribute(ctx, shopfloor.AttributeFields{OwnerID: &warehouse.Items[0].ID, Key: ptr("Climate controlled"),
		Value: true, Etag: warehouse.Items[0].Etag}); err != nil {
		return err
	}
	if _, err := s.CreateBarcodeLabel(ctx, warehouse.Items[0].EntityID, tpl.ID); err != nil {
		return err
	}
	quarantine, err := s.CreateLabel(ctx, shopfloor.LabelFields{Value: ptr("Quarantine")})
	if err != nil {
		return err
	}
	for _, entity := range []int64{issue.EntityID, warehouse.Items[0].EntityID} {
		if err := s.AddLabelToItem(ctx, quarantine.ID, entity); err != nil {
			return err
		}
	}
	if _, err := s.CreateRule(ctx, shopfloor.RuleFields{
		Title: ptr("Received lots need a lot number"), Target: ptr("RECEIPTITEM"), EventType: ptr("CREATE"),
		Context: ptr("query($id: ID!) { receiptItem(id: $id) { id partInventory { lotNumber } } }"),
		Code:    ptr("if not context['receiptItem']['partInventory']['lotNumber']:\n    raise ValidationError('A received lot needs a lot number.')"),
	}); err != nil {
		return err
	}
	people, err := s.Users(ctx, shopfloor.ListOptions{})
	if err != nil {
		return err
	}
	for _, u := range people.Items {
		if _, err := s.DispatchNotification(ctx, shopfloor.NotificationFields{
			UserID: &u.ID, NotificationType: ptr("WARNING"), Title: ptr("Issue opened on " + *unit.SerialNumber),
			Description: ptr("An NCR is pending disposition."), LinkText: ptr("Open the issue"),
		}); err != nil {
			return err
		}
	}
	return nil
}
