package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedSupply gives an organization, as its admin, suppliers, an approval
// policy (orders of 5,000 or more need an Admin's approval), and purchase
// orders in several statuses: a draft with a fee, one in review, one
// ordered, one partly and one fully received (with their receipts), a
// contact at each supplier, a kit staged on Shelf A1 that needs
// harnesses, and the currencies USD and EUR. It is kept small: every test
// server seeds it.
func seedSupply(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	for _, c := range []shopfloor.CurrencyFields{{Code: ptr("USD"), Name: ptr("US dollar"), Symbol: ptr("$")}, {Code: ptr("EUR"), Name: ptr("Euro"), Symbol: ptr("€")}} {
		if _, err := s.CreateCurrency(ctx, c); err != nil {
			return err
		}
	}
	var supplierIDs []int64
	for i, name := range []string{"Northwind Metals", "Contoso Electronics"} {
		sup, err := s.CreateSupplier(ctx, shopfloor.SupplierFields{Name: ptr(name), Attributes: []shopfloor.Attribute{
			{Key: "Portal", Type: ptr("STRING"), Value: fmt.Sprintf("https://%s.example/orders", []string{"northwind", "contoso"}[i])},
			{Key: "Net terms (days)", Type: ptr("NUMBER"), Value: float64(30 + 15*i)},
		}})
		if err != nil {
			return err
		}
		supplierIDs = append(supplierIDs, sup.ID)
		if _, err := s.CreateContact(ctx, shopfloor.ContactFields{SupplierID: &sup.ID, Name: ptr([]string{"Dana Reyes", "Sam Okafor"}[i]),
			Email: ptr(fmt.Sprintf("orders@%s.example", []string{"northwind", "contoso"}[i])), Title: ptr("Account manager")}); err != nil {
			return err
		}
	}
	admins, err := s.Roles(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": shopfloor.RoleAdmin}}})
	if err != nil || len(admins.Items) == 0 {
		return fmt.Errorf("demo: no Admin role: %v", err)
	}
	if _, err := s.CreateApprovalLevel(ctx, shopfloor.ApprovalLevelFields{RoleID: &admins.Items[0].ID, CostThreshold: ptr(5000.0)}); err != nil {
		return err
	}
	// The floor's second and third parts: a lot of bolts, an untracked harness.
	partPage, err := s.Parts(ctx, shopfloor.ListOptions{First: ptr(3)})
	if err != nil {
		return err
	}
	lot, plain := partPage.Items[1], partPage.Items[2]
	locs, err := s.Locations(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": "Shelf A1"}}})
	if err != nil || len(locs.Items) == 0 {
		return fmt.Errorf("demo: no Shelf A1: %v", err)
	}
	shelf := locs.Items[0].ID
	kit, err := s.CreatePartKit(ctx, shopfloor.PartKitFields{Name: ptr(spec.prefix + " Harness kit"), StagingLocationID: &shelf})
	if err != nil {
		return err
	}
	if _, err := s.CreatePartKitItem(ctx, shopfloor.PartKitItemFields{PartKitID: &kit.ID, PartID: &plain.ID, Quantity: ptr(4.0)}); err != nil {
		return err
	}

	bolts := shopfloor.PurchaseOrderLineFields{PartID: &lot.ID, Quantity: ptr(500.0), UnitCost: ptr(0.0825), Description: ptr("M6 bolts, zinc")}
	harnesses := shopfloor.PurchaseOrderLineFields{PartID: &plain.ID, Quantity: ptr(40.0), UnitCost: ptr(149.99)} // 5,999.60: needs approval
	for n, o := range []struct {
		line     shopfloor.PurchaseOrderLineFields
		statuses []string
		received float64
	}{
		{bolts, nil, 0},
		{harnesses, []string{shopfloor.PORequested}, 0},
		{bolts, []string{shopfloor.POApproved, shopfloor.POOrdered}, 0},
		{bolts, []string{shopfloor.POApproved, shopfloor.POOrdered}, 200},
		{bolts, []string{shopfloor.POApproved, shopfloor.POOrdered}, 500},
	} {
		po, err := s.CreatePurchaseOrder(ctx, shopfloor.PurchaseOrderFields{SupplierID: &supplierIDs[n%len(supplierIDs)],
			Description: ptr(fmt.Sprintf("Replenishment %d", n+1)), ExternalReference: ptr(fmt.Sprintf("%s-ERP-%04d", spec.prefix, 7000+n))})
		if err != nil {
			return err
		}
		o.line.PurchaseOrderID = &po.ID
		line, err := s.CreatePurchaseOrderLine(ctx, o.line)
		if err != nil {
			return err
		}
		if n == 0 {
			if _, err := s.CreatePurchaseOrderFee(ctx, shopfloor.PurchaseOrderFeeFields{PurchaseOrderID: &po.ID, Name: ptr("Freight"), Amount: ptr(45.3)}); err != nil {
				return err
			}
		}
		for _, st := range o.statuses {
			if po, err = s.PurchaseOrder(ctx, po.ID); err != nil {
				return err
			}
			if _, err = s.UpdatePurchaseOrder(ctx, po.ID, po.Etag, shopfloor.PurchaseOrderFields{Status: ptr(st)}); err != nil {
				return err
			}
		}
		if o.received > 0 {
			if _, err := s.Receive(ctx, []shopfloor.ReceiveFields{{PurchaseOrderLineID: &line.ID, Quantity: &o.received,
				LotNumber: ptr(fmt.Sprintf("LOT-%d", 900+n)), LocationID: &shelf}}); err != nil {
				return err
			}
		}
	}
	return nil
}
