-- +goose Up
-- Kits: a kit gathers inventory for a job; its items are the parts and
-- quantities it needs, and inventory issued to an item is Kitted while the
-- kit is open (not COMPLETED or CANCELED): derived from these rows and the
-- inventory's open_kit_id and part_kit_item_id, never stored as a status.
CREATE TABLE part_kits (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    name                 TEXT NOT NULL,
    description          TEXT,
    status               TEXT NOT NULL DEFAULT 'DRAFT',
    staging_location_id  INTEGER REFERENCES locations (id),
    delivery_location_id INTEGER REFERENCES locations (id),
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX part_kits_org_live ON part_kits (org_id, id) WHERE deleted_at IS NULL;

CREATE TABLE part_kit_items (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    part_kit_id   INTEGER NOT NULL REFERENCES part_kits (id),
    part_id       INTEGER NOT NULL REFERENCES parts (id),
    quantity      REAL NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX part_kit_items_kit ON part_kit_items (part_kit_id);

ALTER TABLE part_inventories ADD COLUMN part_kit_item_id INTEGER;
CREATE INDEX part_inventories_kit_item ON part_inventories (part_kit_item_id);

-- A supplier's contacts: the people purchase orders are discussed with.
CREATE TABLE supplier_contacts (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    supplier_id   INTEGER NOT NULL REFERENCES suppliers (id),
    name          TEXT NOT NULL,
    email         TEXT,
    phone         TEXT,
    title         TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX supplier_contacts_supplier ON supplier_contacts (supplier_id);

-- +goose Down
DROP TABLE supplier_contacts;
DROP INDEX part_inventories_kit_item;
ALTER TABLE part_inventories DROP COLUMN part_kit_item_id;
DROP TABLE part_kit_items;
DROP TABLE part_kits;
