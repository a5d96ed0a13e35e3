package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var receipts = &table[shopfloor.Receipt]{
	entity: "Receipt", name: "receipts", alias: "r",
	selects: "r.id, r.org_id, r.notes, r.attributes, r.etag, r.created_at, r.updated_at, r.created_by_id, r.updated_by_id",
	fields: map[string]column{
		"id":          {"r.id", kindID},
		"createdById": {"r.created_by_id", kindID},
	},
	dest: func(v *shopfloor.Receipt) []any {
		return []any{&v.ID, &v.OrgID, &v.Notes, &v.Attributes, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var receiptItems = &table[shopfloor.ReceiptItem]{
	entity: "ReceiptItem", name: "receipt_items", alias: "ri",
	selects: "ri.id, ri.org_id, ri.receipt_id, ri.purchase_order_line_id, ri.part_inventory_id, ri.quantity, " +
		"ri.etag, ri.created_at, ri.updated_at, ri.created_by_id, ri.updated_by_id",
	fields: map[string]column{
		"id":                  {"ri.id", kindID},
		"receiptId":           {"ri.receipt_id", kindID},
		"purchaseOrderLineId": {"ri.purchase_order_line_id", kindID},
		"partInventoryId":     {"ri.part_inventory_id", kindID},
	},
	dest: func(v *shopfloor.ReceiptItem) []any {
		return []any{&v.ID, &v.OrgID, &v.ReceiptID, &v.PurchaseOrderLineID, &v.PartInventoryID, &v.QuantityMilli,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Receipt returns one receipt of the caller's org.
func (s *Store) Receipt(ctx context.Context, id int64) (*shopfloor.Receipt, error) {
	return get(ctx, s, receipts, id)
}

// Receipts lists the caller's receipts.
func (s *Store) Receipts(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Receipt], error) {
	return list(ctx, s, receipts, opts)
}

// ReceiptItem returns one receipt item of the caller's org.
func (s *Store) ReceiptItem(ctx context.Context, id int64) (*shopfloor.ReceiptItem, error) {
	return get(ctx, s, receiptItems, id)
}

// ReceiptItems lists the caller's receipt items.
func (s *Store) ReceiptItems(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.ReceiptItem], error) {
	return list(ctx, s, receiptItems, opts)
}

// ItemsByReceiptIDs returns the items of each receipt, in one statement.
func (s *Store) ItemsByReceiptIDs(ctx context.Context, receiptIDs []int64) (map[int64][]shopfloor.ReceiptItem, error) {
	return grouped(ctx, s, receiptItems, "", "ri.receipt_id", receiptIDs)
}

// Receive makes a receipt of items in one transaction: each moves its
// quantity of a line from on order into new inventory at its location.
func (s *Store) Receive(ctx context.Context, items []shopfloor.ReceiveFields) (*shopfloor.Receipt, error) {
	return mutate(ctx, s, receipts, "CreateReceipt", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if len(items) == 0 {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Receipt items must have at least 1 entry.")
		}
		if len(items) > shopfloor.MaxReceiptItems {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Receipt items must have at most %d entries.", shopfloor.MaxReceiptItems)
		}
		for i := range items {
			if err := items[i].Validate(); err != nil {
				return 0, err
			}
		}
		id, err := s.insert(ctx, tx, receipts.name, p, changes{})
		if err != nil {
			return 0, err
		}
		for _, it := range items {
			if err := s.receiveItem(ctx, tx, p, id, it); err != nil {
				return 0, err
			}
		}
		return id, nil
	})
}

// receiveItem receives one item of receipt: the database adds its quantity
// to the line only while that stays within the quantity ordered, so
// concurrent receipts can never receive more than was ordered.
func (s *Store) receiveItem(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, receiptID int64, it shopfloor.ReceiveFields) error {
	lineID, qty := *it.PurchaseOrderLineID, *it.QuantityMilli
	poID, poStatus, status, err := s.lineOf(ctx, tx, p, lineID)
	if err != nil {
		return err
	}
	if err := shopfloor.ReceiveCheck(poStatus, status); err != nil {
		return err
	}
	if err := existsIf(ctx, s, tx, locations, p, it.LocationID); err != nil {
		return err
	}
	res, err := s.exec(ctx, tx, "UPDATE purchase_order_lines SET received_quantity = received_quantity + ?, etag = ?, updated_at = ?, updated_by_id = ? "+
		"WHERE id = ? AND received_quantity + ? <= quantity", qty, newEtag(), s.Now().UTC(), p.UserID, lineID, qty)
	if err != nil {
		return fmt.Errorf("sqlstore: receive: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		var awaited int64
		if err := s.queryRow(ctx, tx, "SELECT quantity - received_quantity FROM purchase_order_lines WHERE id = ?", lineID).Scan(&awaited); err != nil {
			return err
		}
		return shopfloor.Errorf(shopfloor.CodeInvalid, "ReceiptItem quantity must be at most %s, what purchase order line %d still awaits.",
			shopfloor.FormatScaled(awaited, shopfloor.QuantityScale), lineID)
	}
	if err := s.outbox(ctx, tx, p, purchaseOrderLines.name, "UPDATE", lineID); err != nil {
		return err
	}
	var (
		partID, unitCost int64
		tracking         *string
	)
	err = s.queryRow(ctx, tx, "SELECT l.part_id, l.unit_cost, p.tracking_type FROM purchase_order_lines l JOIN parts p ON p.id = l.part_id WHERE l.id = ?", lineID).
		Scan(&partID, &unitCost, &tracking)
	if err != nil {
		return err
	}
	quantity := shopfloor.Unscale(qty, shopfloor.QuantityScale)
	if err := shopfloor.CheckTracking(tracking, it.SerialNumber, quantity); err != nil {
		return err
	}
	if tracking != nil && *tracking == "LOT" && (it.LotNumber == nil || *it.LotNumber == "") {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "ReceiptItem lotNumber is required for lot-tracked parts.")
	}
	c := inventoryChanges(shopfloor.PartInventoryFields{LocationID: it.LocationID, SerialNumber: it.SerialNumber, LotNumber: it.LotNumber})
	c.set("part_id", partID)
	c.set("quantity", quantity)
	c.set("cost", shopfloor.Unscale(unitCost, shopfloor.UnitCostScale))
	c.set("purchase_order_line_id", lineID)
	c.set("received", true)
	invID, err := s.insert(ctx, tx, inventories.name, p, c)
	if s.dialect.isUnique(err) {
		return duplicateSerial(*it.SerialNumber)
	} else if err != nil {
		return err
	}
	var item changes
	item.set("receipt_id", receiptID)
	item.set("purchase_order_line_id", lineID)
	item.set("part_inventory_id", invID)
	item.set("quantity", qty)
	if _, err := s.insert(ctx, tx, receiptItems.name, p, item); err != nil {
		return err
	}
	return s.lineChanged(ctx, tx, p, poID, lineID)
}

// DeleteReceipt undoes a receipt: its quantities are on order again and the
// inventory it made is deleted.
func (s *Store) DeleteReceipt(ctx context.Context, id int64, etag string) error {
	type undo struct{ line, inventory, qty int64 }
	var items []undo
	return removeThen(ctx, s, receipts, "DeleteReceipt", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		rows, err := s.query(ctx, tx, "SELECT purchase_order_line_id, part_inventory_id, quantity FROM receipt_items WHERE receipt_id = ? AND org_id = ? AND deleted_at IS NULL ORDER BY id", id, p.OrgID)
		if err != nil {
			return fmt.Errorf("sqlstore: receipt items: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u undo
			if err := rows.Scan(&u.line, &u.inventory, &u.qty); err != nil {
				return err
			}
			items = append(items, u)
		}
		return rows.Err()
	}, func(tx *sql.Tx, p *shopfloor.Principal) error {
		now := s.Now().UTC()
		for _, u := range items {
			poID, _, _, err := s.lineOf(ctx, tx, p, u.line)
			if err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, "UPDATE purchase_order_lines SET received_quantity = received_quantity - ?, etag = ?, updated_at = ? WHERE id = ?",
				u.qty, newEtag(), now, u.line); err != nil {
				return fmt.Errorf("sqlstore: undo receipt: %w", err)
			}
			if err := s.outbox(ctx, tx, p, purchaseOrderLines.name, "UPDATE", u.line); err != nil {
				return err
			}
			if err := s.softDeleteWhere(ctx, tx, p, inventories.name, "id = ?", u.inventory); err != nil {
				return err
			}
			if err := s.softDeleteWhere(ctx, tx, p, receiptItems.name, "receipt_id = ?", id); err != nil {
				return err
			}
			if err := s.lineChanged(ctx, tx, p, poID, u.line); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateReceipt changes a receipt's notes and attributes (checked against
// the organization's RECEIPT definitions) if etag is current.
func (s *Store) UpdateReceipt(ctx context.Context, id int64, etag string, f shopfloor.ReceiptFields) (*shopfloor.Receipt, error) {
	return mutate(ctx, s, receipts, "UpdateReceipt", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "RECEIPT", f.Attributes); err != nil {
			return 0, err
		}
		var c changes
		setIf(&c, "notes", f.Notes)
		setIf(&c, "attributes", f.Attributes)
		return id, update(ctx, s, tx, receipts, p, id, etag, c)
	})
}

// UpdateReceiptAttribute sets one custom attribute of a receipt, under its etag.
func (s *Store) UpdateReceiptAttribute(ctx context.Context, f shopfloor.AttributeFields) (*shopfloor.Receipt, error) {
	return setAttribute(ctx, s, receipts, "RECEIPT", f, nil)
}
