package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// purchaseOrderStatus calculates PurchaseOrder.Status from the status the
// user set and the facts of its lines (refreshPurchaseOrder keeps them): an
// ORDERED order is CANCELED when all its lines are, RECEIVED when each is
// received or canceled, PARTIALLY_RECEIVED once anything is received.
const purchaseOrderStatus = "CASE WHEN po.status = 'ORDERED' AND po.line_count > 0 AND po.canceled_line_count = po.line_count THEN 'CANCELED' " +
	"WHEN po.status = 'ORDERED' AND po.line_count > 0 AND po.received_line_count + po.canceled_line_count = po.line_count THEN 'RECEIVED' " +
	"WHEN po.status = 'ORDERED' AND po.receiving_line_count > 0 THEN 'PARTIALLY_RECEIVED' " +
	"ELSE po.status END"

var purchaseOrders = &table[shopfloor.PurchaseOrder]{
	entity: "PurchaseOrder", name: "purchase_orders", alias: "po",
	selects: "po.id, po.org_id, po.supplier_id, po.currency_id, " + purchaseOrderStatus + ", po.description, po.external_reference, po.attributes, po.total_cents, " +
		"po.etag, po.created_at, po.updated_at, po.created_by_id, po.updated_by_id",
	fields: map[string]column{
		"id":                {"po.id", kindID},
		"supplierId":        {"po.supplier_id", kindID},
		"currencyId":        {"po.currency_id", kindID},
		"status":            {purchaseOrderStatus, kindEnum},
		"description":       {"po.description", kindText},
		"externalReference": {"po.external_reference", kindText},
		"createdById":       {"po.created_by_id", kindID},
		"updatedById":       {"po.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.PurchaseOrder) []any {
		return []any{&v.ID, &v.OrgID, &v.SupplierID, &v.CurrencyID, &v.Status, &v.Description, &v.ExternalReference, &v.Attributes, &v.TotalCents,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// lineTotal is the SQL of a line's quantity (thousandths) × unit cost
// (1/10000) in cents, rounded half up, in integer arithmetic that cannot
// overflow within the inputs' bounds: q × c / 10^5 split as
// q × (c div 10^5) + (q × (c mod 10^5) + 5·10^4) div 10^5.
func lineTotal(alias string) string {
	q, c := alias+".quantity", alias+".unit_cost"
	return "(" + q + " * (" + c + " / 100000) + (" + q + " * (" + c + " % 100000) + 50000) / 100000)"
}

// lineStatus calculates PurchaseOrderLine.Status.
const lineStatus = "CASE WHEN pl.canceled = TRUE OR lpo.status = 'CANCELED' THEN 'CANCELED' " +
	"WHEN pl.received_quantity >= pl.quantity THEN 'RECEIVED' WHEN lpo.status = 'ORDERED' THEN 'ORDERED' ELSE 'DRAFT' END"

var purchaseOrderLines = &table[shopfloor.PurchaseOrderLine]{
	entity: "PurchaseOrderLine", name: "purchase_order_lines", alias: "pl",
	joins: " LEFT JOIN purchase_orders lpo ON lpo.id = pl.purchase_order_id",
	selects: "pl.id, pl.org_id, pl.purchase_order_id, pl.part_id, pl.quantity, pl.received_quantity, pl.unit_cost, " + lineTotal("pl") + ", " +
		lineStatus + ", pl.description, pl.need_date, pl.position, pl.attributes, pl.etag, pl.created_at, pl.updated_at, pl.created_by_id, pl.updated_by_id",
	fields: map[string]column{
		"id":              {"pl.id", kindID},
		"purchaseOrderId": {"pl.purchase_order_id", kindID},
		"partId":          {"pl.part_id", kindID},
		"status":          {lineStatus, kindEnum},
		"description":     {"pl.description", kindText},
		"createdById":     {"pl.created_by_id", kindID},
		"updatedById":     {"pl.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.PurchaseOrderLine) []any {
		return []any{&v.ID, &v.OrgID, &v.PurchaseOrderID, &v.PartID, &v.QuantityMilli, &v.ReceivedMilli, &v.UnitCostE4, &v.TotalCents,
			&v.Status, &v.Description, &v.NeedDate, &v.Position, &v.Attributes, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var purchaseOrderFees = &table[shopfloor.PurchaseOrderFee]{
	entity: "PurchaseOrderFee", name: "purchase_order_fees", alias: "pf",
	selects: "pf.id, pf.org_id, pf.purchase_order_id, pf.name, pf.amount, pf.etag, pf.created_at, pf.updated_at, pf.created_by_id, pf.updated_by_id",
	dest: func(v *shopfloor.PurchaseOrderFee) []any {
		return []any{&v.ID, &v.OrgID, &v.PurchaseOrderID, &v.Name, &v.AmountCents, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// PurchaseOrder returns one purchase order of the caller's org.
func (s *Store) PurchaseOrder(ctx context.Context, id int64) (*shopfloor.PurchaseOrder, error) {
	return get(ctx, s, purchaseOrders, id)
}

// PurchaseOrders lists the caller's purchase orders.
func (s *Store) PurchaseOrders(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PurchaseOrder], error) {
	return list(ctx, s, purchaseOrders, opts)
}

// PurchaseOrdersByIDs returns the caller's purchase orders among ids.
func (s *Store) PurchaseOrdersByIDs(ctx context.Context, ids []int64) ([]shopfloor.PurchaseOrder, error) {
	return byIDs(ctx, s, purchaseOrders, ids)
}

// PurchaseOrderLine returns one line of the caller's org.
func (s *Store) PurchaseOrderLine(ctx context.Context, id int64) (*shopfloor.PurchaseOrderLine, error) {
	return get(ctx, s, purchaseOrderLines, id)
}

// PurchaseOrderLines lists the caller's purchase-order lines.
func (s *Store) PurchaseOrderLines(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PurchaseOrderLine], error) {
	return list(ctx, s, purchaseOrderLines, opts)
}

// PurchaseOrderLinesByIDs returns the caller's lines among ids.
func (s *Store) PurchaseOrderLinesByIDs(ctx context.Context, ids []int64) ([]shopfloor.PurchaseOrderLine, error) {
	return byIDs(ctx, s, purchaseOrderLines, ids)
}

// LinesByPurchaseOrderIDs returns the lines of each order in their order
// (by position, then id), in one statement.
func (s *Store) LinesByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]shopfloor.PurchaseOrderLine, error) {
	m, err := grouped(ctx, s, purchaseOrderLines, "", "pl.purchase_order_id", poIDs)
	for _, lines := range m {
		slices.SortStableFunc(lines, func(a, b shopfloor.PurchaseOrderLine) int { return cmp.Compare(a.Position, b.Position) })
	}
	return m, err
}

// InventoriesByLineIDs returns the inventory of each line, in one statement.
func (s *Store) InventoriesByLineIDs(ctx context.Context, lineIDs []int64) (map[int64][]shopfloor.PartInventory, error) {
	return grouped(ctx, s, inventories, "", "i.purchase_order_line_id", lineIDs)
}

// FeesByPurchaseOrderIDs returns the fees of each order, in one statement.
func (s *Store) FeesByPurchaseOrderIDs(ctx context.Context, poIDs []int64) (map[int64][]shopfloor.PurchaseOrderFee, error) {
	return grouped(ctx, s, purchaseOrderFees, "", "pf.purchase_order_id", poIDs)
}

// lockPurchaseOrder takes the write lock of a live order of the caller's
// org and returns its calculated status. Every change to an order's lines,
// fees, approvals or receipts takes it first, so that changes to one order
// run one after another on every engine, and each one's
// refreshPurchaseOrder sees the others' writes.
func (s *Store) lockPurchaseOrder(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (string, error) {
	res, err := s.exec(ctx, tx, "UPDATE purchase_orders SET line_count = line_count WHERE "+purchaseOrders.rowScope(), id, p.OrgID)
	if err != nil {
		return "", fmt.Errorf("sqlstore: lock purchase order: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", err
	} else if n == 0 {
		return "", shopfloor.NotFound(purchaseOrders.entity, id)
	}
	var status string
	err = s.queryRow(ctx, tx, "SELECT "+purchaseOrderStatus+" FROM purchase_orders po WHERE po.id = ?", id).Scan(&status)
	return status, err
}

// refreshPurchaseOrder rewrites an order's facts from its live lines and
// fees, its total among them (in the database, in integer cents), and
// renews its etag: its calculated status and total may have changed. When
// the total changed as ApprovalsReset says, the approvals given are
// cleared in the same transaction.
func (s *Store) refreshPurchaseOrder(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) error {
	var status string
	var before, after int64
	if err := s.queryRow(ctx, tx, "SELECT status, total_cents FROM purchase_orders WHERE id = ?", id).Scan(&status, &before); err != nil {
		return fmt.Errorf("sqlstore: purchase order total: %w", err)
	}
	lines := func(cond string) string {
		return "(SELECT COUNT(*) FROM purchase_order_lines l WHERE l.purchase_order_id = purchase_orders.id AND l.deleted_at IS NULL" + cond + ")"
	}
	q := "UPDATE purchase_orders SET line_count = " + lines("") +
		", canceled_line_count = " + lines(" AND l.canceled = TRUE") +
		", received_line_count = " + lines(" AND l.canceled = FALSE AND l.received_quantity >= l.quantity") +
		", receiving_line_count = " + lines(" AND l.received_quantity > 0") +
		", total_cents = COALESCE((SELECT SUM(" + lineTotal("l") + ") FROM purchase_order_lines l WHERE l.purchase_order_id = purchase_orders.id AND l.deleted_at IS NULL AND l.canceled = FALSE), 0)" +
		" + COALESCE((SELECT SUM(f.amount) FROM purchase_order_fees f WHERE f.purchase_order_id = purchase_orders.id AND f.deleted_at IS NULL), 0)" +
		", etag = ?, updated_at = ?, updated_by_id = ? WHERE " + purchaseOrders.rowScope()
	if err := s.queryRow(ctx, tx, q+" RETURNING total_cents", newEtag(), s.Now().UTC(), p.UserID, id, p.OrgID).Scan(&after); err != nil {
		return fmt.Errorf("sqlstore: refresh purchase order: %w", err)
	}
	if err := s.outboxOf(ctx, tx, p, purchaseOrders.name, "UPDATE", "SELECT id FROM purchase_orders WHERE id = ?", id); err != nil {
		return err
	}
	if !shopfloor.ApprovalsReset(status, before, after) {
		return nil
	}
	if _, err := s.exec(ctx, tx, "UPDATE purchase_order_approvals SET deleted_at = ?, updated_at = ?, updated_by_id = ? WHERE purchase_order_id = ? AND org_id = ? AND deleted_at IS NULL",
		s.Now().UTC(), s.Now().UTC(), p.UserID, id, p.OrgID); err != nil {
		return fmt.Errorf("sqlstore: reset approvals: %w", err)
	}
	return nil
}

func purchaseOrderChanges(f shopfloor.PurchaseOrderFields) changes {
	var c changes
	setIf(&c, "supplier_id", f.SupplierID)
	setIf(&c, "currency_id", f.CurrencyID)
	setIf(&c, "status", f.Status)
	setIf(&c, "description", f.Description)
	setIf(&c, "external_reference", f.ExternalReference)
	if f.Attributes != nil {
		c.set("attributes", shopfloor.Attributes(f.Attributes))
	}
	return c
}

// CreatePurchaseOrder adds a DRAFT purchase order.
func (s *Store) CreatePurchaseOrder(ctx context.Context, f shopfloor.PurchaseOrderFields) (*shopfloor.PurchaseOrder, error) {
	return mutate(ctx, s, purchaseOrders, "CreatePurchaseOrder", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if f.Status != nil && *f.Status != shopfloor.PODraft {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrder status must be DRAFT when it is created.")
		}
		if err := s.orderReferencesExist(ctx, tx, p, f); err != nil {
			return 0, err
		}
		if err := s.checkAttributes(ctx, tx, p, "PURCHASE_ORDER", f.Attributes); err != nil {
			return 0, err
		}
		return s.insert(ctx, tx, purchaseOrders.name, p, purchaseOrderChanges(f))
	})
}

// UpdatePurchaseOrder changes an order if etag is current; a status change
// is one PurchaseOrderTransition allows, APPROVED behind the approval gate.
func (s *Store) UpdatePurchaseOrder(ctx context.Context, id int64, etag string, f shopfloor.PurchaseOrderFields) (*shopfloor.PurchaseOrder, error) {
	return mutate(ctx, s, purchaseOrders, "UpdatePurchaseOrder", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		from, err := s.lockPurchaseOrder(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := s.orderReferencesExist(ctx, tx, p, f); err != nil {
			return 0, err
		}
		if err := s.checkAttributes(ctx, tx, p, "PURCHASE_ORDER", f.Attributes); err != nil {
			return 0, err
		}
		if f.Status != nil {
			facts, err := s.purchaseOrderFacts(ctx, tx, p, id, *f.Status == shopfloor.POApproved)
			if err != nil {
				return 0, err
			}
			if err := shopfloor.PurchaseOrderTransition(from, *f.Status, facts); err != nil {
				return 0, err
			}
		}
		return id, update(ctx, s, tx, purchaseOrders, p, id, etag, purchaseOrderChanges(f))
	})
}

// orderReferencesExist checks an order's supplier and currency.
func (s *Store) orderReferencesExist(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f shopfloor.PurchaseOrderFields) error {
	if err := existsIf(ctx, s, tx, suppliers, p, f.SupplierID); err != nil {
		return err
	}
	return existsIf(ctx, s, tx, currencies, p, f.CurrencyID)
}

// purchaseOrderFacts reads what a status change of an order depends on;
// the approval gate only when gate is set.
func (s *Store) purchaseOrderFacts(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64, gate bool) (shopfloor.PurchaseOrderFacts, error) {
	var f shopfloor.PurchaseOrderFacts
	var total int64
	err := s.queryRow(ctx, tx, "SELECT line_count - canceled_line_count, total_cents FROM purchase_orders WHERE id = ? AND org_id = ?", id, p.OrgID).
		Scan(&f.OpenLines, &total)
	if err != nil || !gate {
		return f, err
	}
	f.Approval, err = s.approvalGate(ctx, tx, p, id, total)
	return f, err
}

// DeletePurchaseOrder soft-deletes a DRAFT or CANCELED order nothing was
// received against, with its lines, fees and on-order inventory.
func (s *Store) DeletePurchaseOrder(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, purchaseOrders, "DeletePurchaseOrder", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		status, err := s.lockPurchaseOrder(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if status != shopfloor.PODraft && status != shopfloor.POCanceled {
			return shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrder status must be DRAFT or CANCELED to delete it; it is %s.", status)
		}
		if received, err := s.hasAny(ctx, tx, "SELECT 1 FROM purchase_orders WHERE id = ? AND receiving_line_count > 0", id); err != nil || received {
			if err == nil {
				err = shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrder cannot be deleted: it has been received against.")
			}
			return err
		}
		for _, rows := range []struct{ table, cond string }{
			{inventories.name, "received = FALSE AND purchase_order_line_id IN (SELECT id FROM purchase_order_lines WHERE purchase_order_id = ?)"},
			{purchaseOrderLines.name, "purchase_order_id = ?"},
			{purchaseOrderFees.name, "purchase_order_id = ?"},
		} {
			if err := s.softDeleteWhere(ctx, tx, p, rows.table, rows.cond, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func lineChanges(f shopfloor.PurchaseOrderLineFields) changes {
	var c changes
	setIf(&c, "quantity", f.QuantityMilli)
	setIf(&c, "unit_cost", f.UnitCostE4)
	setIf(&c, "description", f.Description)
	setIf(&c, "need_date", f.Need)
	return c
}

// CreatePurchaseOrderLine adds a line of a part to a DRAFT order, and its
// quantity as on-order inventory.
func (s *Store) CreatePurchaseOrderLine(ctx context.Context, f shopfloor.PurchaseOrderLineFields) (*shopfloor.PurchaseOrderLine, error) {
	return mutate(ctx, s, purchaseOrderLines, "CreatePurchaseOrderLine", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if f.Status != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrderLine status is calculated when it is created.")
		}
		status, err := s.lockPurchaseOrder(ctx, tx, p, *f.PurchaseOrderID)
		if err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, parts, p, *f.PartID); err != nil {
			return 0, err
		}
		if err := shopfloor.PurchaseOrderEditable("PurchaseOrderLine", "added", status); err != nil {
			return 0, err
		}
		c := lineChanges(f)
		c.set("purchase_order_id", *f.PurchaseOrderID)
		c.set("part_id", *f.PartID)
		var last int
		if err := s.queryRow(ctx, tx, "SELECT COALESCE(MAX(position) + 1, 0) FROM purchase_order_lines WHERE purchase_order_id = ? AND deleted_at IS NULL",
			*f.PurchaseOrderID).Scan(&last); err != nil {
			return 0, err
		}
		c.set("position", last)
		id, err := s.insert(ctx, tx, purchaseOrderLines.name, p, c)
		if err != nil {
			return 0, err
		}
		return id, s.lineChanged(ctx, tx, p, *f.PurchaseOrderID, id)
	})
}

// lineOf reads a line's order and calculated status, locking the order.
func (s *Store) lineOf(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (poID int64, poStatus, status string, err error) {
	err = s.queryRow(ctx, tx, "SELECT purchase_order_id FROM purchase_order_lines WHERE "+purchaseOrderLines.rowScope(), id, p.OrgID).Scan(&poID)
	if err == sql.ErrNoRows {
		return 0, "", "", shopfloor.NotFound(purchaseOrderLines.entity, id)
	} else if err != nil {
		return 0, "", "", err
	}
	if poStatus, err = s.lockPurchaseOrder(ctx, tx, p, poID); err != nil {
		return 0, "", "", err
	}
	err = s.queryRow(ctx, tx, "SELECT "+lineStatus+" FROM purchase_order_lines pl"+purchaseOrderLines.joins+" WHERE pl.id = ?", id).Scan(&status)
	return poID, poStatus, status, err
}

// UpdatePurchaseOrderLine changes a line if etag is current: its fields
// while its order is DRAFT; its status to CANCELED (or back) as
// PurchaseOrderLineStatusChange allows.
func (s *Store) UpdatePurchaseOrderLine(ctx context.Context, id int64, etag string, f shopfloor.PurchaseOrderLineFields) (*shopfloor.PurchaseOrderLine, error) {
	return mutate(ctx, s, purchaseOrderLines, "UpdatePurchaseOrderLine", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if f.PurchaseOrderID != nil || f.PartID != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrderLine purchaseOrderId and partId cannot be changed.")
		}
		poID, poStatus, status, err := s.lineOf(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		c := lineChanges(f)
		if len(c.cols) > 0 {
			if err := shopfloor.PurchaseOrderEditable("PurchaseOrderLine", "changed", poStatus); err != nil {
				return 0, err
			}
		}
		if f.Status != nil {
			if err := shopfloor.PurchaseOrderLineStatusChange(poStatus, status, *f.Status); err != nil {
				return 0, err
			}
			c.set("canceled", *f.Status == shopfloor.POCanceled)
		}
		if f.QuantityMilli != nil {
			var received int64
			if err := s.queryRow(ctx, tx, "SELECT received_quantity FROM purchase_order_lines WHERE id = ?", id).Scan(&received); err != nil {
				return 0, err
			}
			if *f.QuantityMilli < received {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrderLine quantity must be at least the %s received.",
					shopfloor.FormatScaled(received, shopfloor.QuantityScale))
			}
		}
		if err := update(ctx, s, tx, purchaseOrderLines, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.lineChanged(ctx, tx, p, poID, id)
	})
}

// DeletePurchaseOrderLine soft-deletes a line of a DRAFT order that nothing
// was received against, with its on-order inventory.
func (s *Store) DeletePurchaseOrderLine(ctx context.Context, id int64, etag string) error {
	var poID int64
	return removeThen(ctx, s, purchaseOrderLines, "DeletePurchaseOrderLine", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		var poStatus string
		var err error
		if poID, poStatus, _, err = s.lineOf(ctx, tx, p, id); err != nil {
			return err
		}
		if err := shopfloor.PurchaseOrderEditable("PurchaseOrderLine", "deleted", poStatus); err != nil {
			return err
		}
		if received, err := s.hasAny(ctx, tx, "SELECT 1 FROM purchase_order_lines WHERE id = ? AND received_quantity > 0", id); err != nil || received {
			if err == nil {
				err = shopfloor.Errorf(shopfloor.CodeInvalid, "PurchaseOrderLine cannot be deleted: it has been received against.")
			}
			return err
		}
		return nil
	}, func(tx *sql.Tx, p *shopfloor.Principal) error { return s.lineChanged(ctx, tx, p, poID, id) })
}

// lineChanged brings a line's on-order inventory and its order's facts in
// line with the line: its outstanding quantity (none once it is received,
// deleted or its quantity all received) is one on-order inventory row.
func (s *Store) lineChanged(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, poID, lineID int64) error {
	var (
		partID, outstanding, unitCost int64
		live                          bool
	)
	err := s.queryRow(ctx, tx, "SELECT part_id, quantity - received_quantity, unit_cost, deleted_at IS NULL FROM purchase_order_lines WHERE id = ?", lineID).
		Scan(&partID, &outstanding, &unitCost, &live)
	if err != nil {
		return fmt.Errorf("sqlstore: line: %w", err)
	}
	now := s.Now().UTC()
	quantity, cost := shopfloor.Unscale(outstanding, shopfloor.QuantityScale), shopfloor.Unscale(unitCost, shopfloor.UnitCostScale)
	onOrder := "purchase_order_line_id = ? AND received = FALSE"
	if !live || outstanding <= 0 {
		err = s.softDeleteWhere(ctx, tx, p, inventories.name, onOrder, lineID)
	} else {
		stale, args := onOrder+" AND deleted_at IS NULL AND (quantity <> ? OR cost <> ?)", []any{p.OrgID, lineID, quantity, cost}
		if err := s.outboxOf(ctx, tx, p, inventories.name, "UPDATE", "SELECT id FROM part_inventories WHERE org_id = ? AND "+stale, args...); err != nil {
			return err
		}
		var res sql.Result
		res, err = s.exec(ctx, tx, "UPDATE part_inventories SET quantity = ?, cost = ?, etag = ?, updated_at = ?, updated_by_id = ? WHERE org_id = ? AND "+stale,
			append([]any{quantity, cost, newEtag(), now, p.UserID}, args...)...)
		if err == nil {
			var n int64
			if n, err = res.RowsAffected(); err == nil && n == 0 {
				err = s.ensureOnOrder(ctx, tx, p, lineID, partID, quantity, cost)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("sqlstore: on-order inventory: %w", err)
	}
	return s.refreshPurchaseOrder(ctx, tx, p, poID)
}

// ensureOnOrder adds a line's on-order inventory unless it has it.
func (s *Store) ensureOnOrder(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, lineID, partID int64, quantity, cost float64) error {
	has, err := s.hasAny(ctx, tx, "SELECT 1 FROM part_inventories WHERE purchase_order_line_id = ? AND received = FALSE AND deleted_at IS NULL", lineID)
	if err != nil || has {
		return err
	}
	var c changes
	c.set("part_id", partID)
	c.set("quantity", quantity)
	c.set("cost", cost)
	c.set("purchase_order_line_id", lineID)
	_, err = s.insert(ctx, tx, inventories.name, p, c)
	return err
}

// UpdatePurchaseOrderAttribute sets one custom attribute of a purchaseOrder, under its etag.
func (s *Store) UpdatePurchaseOrderAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.PurchaseOrder, error) {
	return setAttribute(ctx, s, purchaseOrders, "PURCHASE_ORDER", f, nil)
}

// UpdatePurchaseOrderLineAttribute sets one custom attribute of a line, under its etag.
func (s *Store) UpdatePurchaseOrderLineAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.PurchaseOrderLine, error) {
	return setAttribute(ctx, s, purchaseOrderLines, "PURCHASE_ORDER_LINE", f, nil)
}

// ReorderPurchaseOrderLine moves a line of a DRAFT order to index among its
// order's lines, as a datagrid's columns move (shopfloor.DatagridMove), if
// etag is current: the lines are then numbered from 0, the others keeping
// their etags.
func (s *Store) ReorderPurchaseOrderLine(ctx context.Context, id int64, etag string, index int) (*shopfloor.PurchaseOrderLine, error) {
	return mutate(ctx, s, purchaseOrderLines, "ReorderPurchaseOrderLine", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		poID, poStatus, _, err := s.lineOf(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.PurchaseOrderEditable("PurchaseOrderLine", "reordered", poStatus); err != nil {
			return 0, err
		}
		order, err := s.positions(ctx, tx, p, purchaseOrderLines.name, "position", "purchase_order_id = ?", poID)
		if err != nil {
			return 0, err
		}
		moved, err := shopfloor.DatagridMove(purchaseOrderLines.entity, "line", orderIDs(order), id, shopfloor.DatagridPlace{Index: &index})
		if err != nil {
			return 0, err
		}
		var c changes
		c.set("position", slices.Index(moved, id))
		if err := update(ctx, s, tx, purchaseOrderLines, p, id, etag, c); err != nil {
			return 0, err
		}
		return id, s.renumber(ctx, tx, purchaseOrderLines.name, "position", order, moved, id)
	})
}
