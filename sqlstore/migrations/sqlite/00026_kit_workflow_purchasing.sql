-- +goose Up
-- The kit a run's mBOM made (createKitForRun): addPartsToKitFromMbom adds
-- the run's part's items by default.
ALTER TABLE part_kits ADD COLUMN run_id INTEGER REFERENCES runs (id);

-- A line's place among its order's lines (reorderPurchaseOrderLine renumbers
-- them from 0; reads order by it, then id) and its custom attributes.
ALTER TABLE purchase_order_lines ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE purchase_order_lines ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';

-- A receipt's notes (updateReceipt).
ALTER TABLE receipts ADD COLUMN notes TEXT;

-- The organization's currencies: an ISO 4217 code, unique among its live
-- currencies, that purchase orders are priced in.
CREATE TABLE currencies (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    symbol        TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX currencies_org_code ON currencies (org_id, code) WHERE deleted_at IS NULL;
ALTER TABLE purchase_orders ADD COLUMN currency_id INTEGER REFERENCES currencies (id);

-- +goose Down
ALTER TABLE purchase_orders DROP COLUMN currency_id;
DROP TABLE currencies;
ALTER TABLE receipts DROP COLUMN notes;
ALTER TABLE purchase_order_lines DROP COLUMN attributes;
ALTER TABLE purchase_order_lines DROP COLUMN position;
ALTER TABLE part_kits DROP COLUMN run_id;
