package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedSupply gives an organization, as its admin, suppliers, an approval
// policy (orders of 5,000 or more need an Admin's approval), and purchase
// orders in each status: a draft with a fee, one in review, one approved,
// one ordered, one partly and one fully received (with their receipts), and
// one canceled.
func seedSupply(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	var supplierIDs []int64
	for i, name := range []string{"Northwind Metals", "Contoso Electronics", "Fabrikam Fasteners"} {
		sup, err := s.CreateSupplier(ctx, shopfloor.SupplierFields{Name: ptr(name), Attributes: []shopfloor.Attribute{
			{Key: "Portal", Type: ptr("STRING"), Value: fmt.Sprintf("https://%s.example/orders", []string{"northwind", "contoso", "fabrikam"}[i])},
			{Key: "Net terms (days)", Type: ptr("NUMBER"), Value: float64(30 + 15*i)},
		}})
		if err != nil {
			return err
		}
		supplierIDs = append(supplierIDs, sup.ID)
	}
	admins, err := s.Roles(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": shopfloor.RoleAdmin}}})
	if err != nil || len(admins.Items) == 0 {
		return fmt.Errorf("demo: no Admin role: %v", err)
	}
	if _, err := s.CreateApprovalLevel(ctx, shopfloor.ApprovalLevelFields{RoleID: &admins.Items[0].ID, CostThreshold: ptr(5000.0)}); err != nil {
		return err
	}
	// The floor's first parts: a serial-tracked bracket, a lot of bolts,
	// an untracked harness.
	partPage, err := s.Parts(ctx, shopfloor.ListOptions{First: ptr(3)})
	if err != nil {
		return err
	}
	serial, lot, plain := partPage.Items[0], partPage.Items[1], partPage.Items[2]
	locs, err := s.Locations(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": "Shelf A1"}}})
	if err != nil || len(locs.Items) == 0 {
		return fmt.Errorf("demo: no Shelf A1: %v", err)
	}
	shelf := locs.Items[0].ID

	order := func(n int, lines ...shopfloor.PurchaseOrderLineFields) (*shopfloor.PurchaseOrder, []int64, error) {
		po, err := s.CreatePurchaseOrder(ctx, shopfloor.PurchaseOrderFields{SupplierID: &supplierIDs[n%len(supplierIDs)],
			Description: ptr(fmt.Sprintf("Replenishment %d", n+1)), ExternalReference: ptr(fmt.Sprintf("%s-ERP-%04d", spec.prefix, 7000+n))})
		if err != nil {
			return nil, nil, err
		}
		var ids []int64
		for _, l := range lines {
			l.PurchaseOrderID = &po.ID
			line, err := s.CreatePurchaseOrderLine(ctx, l)
			if err != nil {
				return nil, nil, err
			}
			ids = append(ids, line.ID)
		}
		po, err = s.PurchaseOrder(ctx, po.ID)
		return po, ids, err
	}
	move := func(po *shopfloor.PurchaseOrder, statuses ...string) (*shopfloor.PurchaseOrder, error) {
		for _, st := range statuses {
			if po, err = s.UpdatePurchaseOrder(ctx, po.ID, po.Etag, shopfloor.PurchaseOrderFields{Status: ptr(st)}); err != nil {
				return nil, err
			}
		}
		return po, nil
	}
	bolts := shopfloor.PurchaseOrderLineFields{PartID: &lot.ID, Quantity: ptr(500.0), UnitCost: ptr(0.0825), Description: ptr("M6 bolts, zinc")}
	harness := shopfloor.PurchaseOrderLineFields{PartID: &plain.ID, Quantity: ptr(12.0), UnitCost: ptr(149.99)}
	brackets := shopfloor.PurchaseOrderLineFields{PartID: &serial.ID, Quantity: ptr(2.0), UnitCost: ptr(310.5)}

	draft, _, err := order(0, bolts, harness)
	if err != nil {
		return err
	}
	if _, err := s.CreatePurchaseOrderFee(ctx, shopfloor.PurchaseOrderFeeFields{PurchaseOrderID: &draft.ID, Name: ptr("Freight"), Amount: ptr(45.3)}); err != nil {
		return err
	}
	review, _, err := order(1, harness, shopfloor.PurchaseOrderLineFields{PartID: &plain.ID, Quantity: ptr(40.0), UnitCost: ptr(149.99)})
	if err != nil {
		return err
	}
	if _, err := move(review, shopfloor.PORequested); err != nil { // 7,799.48: awaits an Admin's approval
		return err
	}
	for n, status := range [][]string{{shopfloor.POApproved}, {shopfloor.POApproved, shopfloor.POOrdered}, {shopfloor.POCanceled}} {
		po, _, err := order(2+n, bolts)
		if err != nil {
			return err
		}
		if _, err := move(po, status...); err != nil {
			return err
		}
	}
	for n, full := range []bool{false, true} {
		po, lines, err := order(5+n, bolts, brackets)
		if err != nil {
			return err
		}
		if _, err := move(po, shopfloor.POApproved, shopfloor.POOrdered); err != nil {
			return err
		}
		items := []shopfloor.ReceiveFields{{PurchaseOrderLineID: &lines[0], Quantity: ptr(200.0), LotNumber: ptr(fmt.Sprintf("LOT-%d", 900+n)), LocationID: &shelf}}
		if full {
			items[0].Quantity = ptr(500.0)
			for u := range 2 {
				items = append(items, shopfloor.ReceiveFields{PurchaseOrderLineID: &lines[1], Quantity: ptr(1.0),
					SerialNumber: ptr(fmt.Sprintf("SN-%s-PO-%d", spec.prefix, u)), LocationID: &shelf})
			}
		}
		if _, err := s.Receive(ctx, items); err != nil {
			return err
		}
	}
	return nil
}
