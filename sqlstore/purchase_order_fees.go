package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

func feeChanges(f shopfloor.PurchaseOrderFeeFields) changes {
	var c changes
	setIf(&c, "name", f.Name)
	setIf(&c, "amount", f.AmountCents)
	return c
}

// CreatePurchaseOrderFee adds a fee to a DRAFT order.
func (s *Store) CreatePurchaseOrderFee(ctx context.Context, f shopfloor.PurchaseOrderFeeFields) (*shopfloor.PurchaseOrderFee, error) {
	return mutate(ctx, s, purchaseOrderFees, "CreatePurchaseOrderFee", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := s.feeEditable(ctx, tx, p, *f.PurchaseOrderID, "added"); err != nil {
			return 0, err
		}
		c := feeChanges(f)
		c.set("purchase_order_id", *f.PurchaseOrderID)
		id, err := s.insert(ctx, tx, purchaseOrderFees.name, p, c)
		if err != nil {
			return 0, err
		}
		return id, s.refreshPurchaseOrder(ctx, tx, p, *f.PurchaseOrderID)
	})
}

// feeEditable locks the order and checks it is DRAFT.
func (s *Store) feeEditable(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, poID int64, verb string) error {
	status, err := s.lockPurchaseOrder(ctx, tx, p, poID)
	if err != nil {
		return err
	}
	return shopfloor.PurchaseOrderEditable("PurchaseOrderFee", verb, status)
}

// feeOrder returns the order of a live fee of the caller's org.
func (s *Store) feeOrder(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (int64, error) {
	var poID int64
	err := s.queryRow(ctx, tx, "SELECT purchase_order_id FROM purchase_order_fees WHERE "+purchaseOrderFees.rowScope(), id, p.OrgID).Scan(&poID)
	if err == sql.ErrNoRows {
		return 0, shopfloor.NotFound(purchaseOrderFees.entity, id)
	} else if err != nil {
		return 0, fmt.Errorf("sqlstore: fee: %w", err)
	}
	return poID, nil
}

// UpdatePurchaseOrderFee changes a fee of a DRAFT order if etag is current.
func (s *Store) UpdatePurchaseOrderFee(ctx context.Context, id int64, etag string, f shopfloor.PurchaseOrderFeeFields) (*shopfloor.PurchaseOrderFee, error) {
	return mutate(ctx, s, purchaseOrderFees, "UpdatePurchaseOrderFee", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		poID, err := s.feeOrder(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := s.feeEditable(ctx, tx, p, poID, "changed"); err != nil {
			return 0, err
		}
		if err := update(ctx, s, tx, purchaseOrderFees, p, id, etag, feeChanges(f)); err != nil {
			return 0, err
		}
		return id, s.refreshPurchaseOrder(ctx, tx, p, poID)
	})
}

// DeletePurchaseOrderFee soft-deletes a fee of a DRAFT order.
func (s *Store) DeletePurchaseOrderFee(ctx context.Context, id int64, etag string) error {
	var poID int64
	return removeThen(ctx, s, purchaseOrderFees, "DeletePurchaseOrderFee", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) (err error) {
		if poID, err = s.feeOrder(ctx, tx, p, id); err != nil {
			return err
		}
		return s.feeEditable(ctx, tx, p, poID, "deleted")
	}, func(tx *sql.Tx, p *shopfloor.Principal) error { return s.refreshPurchaseOrder(ctx, tx, p, poID) })
}
