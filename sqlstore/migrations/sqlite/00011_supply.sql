-- +goose Up
-- Supply chain: suppliers, purchase orders with lines, fees and approvals,
-- receipts. Money and PO quantities are integers in fixed minor units, the
-- same exact arithmetic on both engines: amounts and fees in cents, unit
-- costs in 1/10000, line quantities in 1/1000.
CREATE TABLE suppliers (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    name          TEXT NOT NULL,
    attributes    TEXT NOT NULL DEFAULT '[]',
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX suppliers_org_live ON suppliers (org_id, id) WHERE deleted_at IS NULL;

-- status is what the user set (DRAFT, REQUESTED, APPROVED, ORDERED,
-- CANCELED); the columns after it are the facts of its live lines and fees,
-- rewritten by every change to them, from which the status read is derived.
CREATE TABLE purchase_orders (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organizations (id),
    supplier_id         INTEGER REFERENCES suppliers (id),
    status              TEXT NOT NULL DEFAULT 'DRAFT',
    description         TEXT,
    external_reference  TEXT,
    attributes          TEXT NOT NULL DEFAULT '[]',
    line_count          BIGINT NOT NULL DEFAULT 0,
    canceled_line_count BIGINT NOT NULL DEFAULT 0,
    received_line_count BIGINT NOT NULL DEFAULT 0,
    receiving_line_count BIGINT NOT NULL DEFAULT 0,
    total_cents         BIGINT NOT NULL DEFAULT 0,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_orders_org_live ON purchase_orders (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id);

CREATE TABLE purchase_order_lines (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    part_id           INTEGER NOT NULL REFERENCES parts (id),
    quantity          BIGINT NOT NULL,
    received_quantity BIGINT NOT NULL DEFAULT 0,
    unit_cost         BIGINT NOT NULL DEFAULT 0,
    canceled          BOOLEAN NOT NULL DEFAULT 0,
    description       TEXT,
    need_date         TIMESTAMP,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_order_lines_org_live ON purchase_order_lines (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_order_lines_order ON purchase_order_lines (purchase_order_id);

CREATE TABLE purchase_order_fees (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    name              TEXT NOT NULL,
    amount            BIGINT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_order_fees_order ON purchase_order_fees (purchase_order_id);

-- The organization's approval policy: a level applies to a purchase order
-- whose total is at least its threshold, and needs an approval from a
-- holder of its role.
CREATE TABLE purchase_order_approval_levels (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations (id),
    role_id        INTEGER NOT NULL REFERENCES roles (id),
    cost_threshold BIGINT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_order_approval_levels_org ON purchase_order_approval_levels (org_id, id) WHERE deleted_at IS NULL;

-- An approval records the roles its reviewer held when approving (a JSON
-- list of role ids).
CREATE TABLE purchase_order_approvals (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    reviewer_id       INTEGER NOT NULL REFERENCES users (id),
    role_ids          TEXT NOT NULL DEFAULT '[]',
    comment           TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_order_approvals_order ON purchase_order_approvals (purchase_order_id);

CREATE TABLE purchase_order_approval_requests (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    reviewer_id       INTEGER NOT NULL REFERENCES users (id),
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX purchase_order_approval_requests_order ON purchase_order_approval_requests (purchase_order_id);

CREATE TABLE receipts (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    attributes    TEXT NOT NULL DEFAULT '[]',
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX receipts_org_live ON receipts (org_id, id) WHERE deleted_at IS NULL;

CREATE TABLE receipt_items (
    id                     INTEGER PRIMARY KEY,
    org_id                 INTEGER NOT NULL REFERENCES organizations (id),
    receipt_id             INTEGER NOT NULL REFERENCES receipts (id),
    purchase_order_line_id INTEGER NOT NULL REFERENCES purchase_order_lines (id),
    part_inventory_id      INTEGER NOT NULL REFERENCES part_inventories (id),
    quantity               BIGINT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX receipt_items_receipt ON receipt_items (receipt_id);
CREATE INDEX receipt_items_line ON receipt_items (purchase_order_line_id);

-- Inventory's status is derived from these facts, never stored: the PO
-- line it is on order from or was received against (received), what of it
-- is scrapped or installed, and the open kit and the open run holding it
-- (set by kits, aBOM installations and runs).
ALTER TABLE part_inventories ADD COLUMN purchase_order_line_id INTEGER;
ALTER TABLE part_inventories ADD COLUMN received BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE part_inventories ADD COLUMN quantity_scrapped REAL NOT NULL DEFAULT 0;
ALTER TABLE part_inventories ADD COLUMN quantity_installed REAL NOT NULL DEFAULT 0;
ALTER TABLE part_inventories ADD COLUMN open_kit_id INTEGER;
ALTER TABLE part_inventories ADD COLUMN open_run_id INTEGER;
CREATE INDEX part_inventories_po_line ON part_inventories (purchase_order_line_id);

-- +goose Down
DROP INDEX part_inventories_po_line;
ALTER TABLE part_inventories DROP COLUMN open_run_id;
ALTER TABLE part_inventories DROP COLUMN open_kit_id;
ALTER TABLE part_inventories DROP COLUMN quantity_installed;
ALTER TABLE part_inventories DROP COLUMN quantity_scrapped;
ALTER TABLE part_inventories DROP COLUMN received;
ALTER TABLE part_inventories DROP COLUMN purchase_order_line_id;
DROP TABLE receipt_items;
DROP TABLE receipts;
DROP TABLE purchase_order_approval_requests;
DROP TABLE purchase_order_approvals;
DROP TABLE purchase_order_approval_levels;
DROP TABLE purchase_order_fees;
DROP TABLE purchase_order_lines;
DROP TABLE purchase_orders;
DROP TABLE suppliers;
