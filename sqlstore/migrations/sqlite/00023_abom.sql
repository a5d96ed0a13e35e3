-- +goose Up
-- The as-built BOM (aBOM). A build requirement is what a unit
-- (part_inventory_id) needs: quantity_per_parent of a part, per unit of it
-- (or in all, fixed_quantity), snapshotted from an mBOM item of the unit's
-- part (origin_mbom_item_id) or added by hand. An installation puts a
-- quantity of a unit (part_inventory_id) on a requirement; the installed
-- unit's part_inventories.quantity_installed, which its INSTALLED status
-- derives from, is their sum, written in the same transaction. The legacy
-- aBOM items are read from these two tables (no storage of their own).
CREATE TABLE build_requirements (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organizations (id),
    part_inventory_id   INTEGER NOT NULL REFERENCES part_inventories (id),
    part_id             INTEGER NOT NULL REFERENCES parts (id),
    quantity_per_parent REAL NOT NULL,
    fixed_quantity      BOOLEAN NOT NULL DEFAULT FALSE,
    made_on_assembly    BOOLEAN NOT NULL DEFAULT FALSE,
    origin_mbom_item_id INTEGER REFERENCES mbom_items (id),
    etag                TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    created_by_id       INTEGER REFERENCES users (id),
    updated_by_id       INTEGER REFERENCES users (id),
    deleted_at          TIMESTAMP
);
CREATE INDEX build_requirements_unit ON build_requirements (part_inventory_id) WHERE deleted_at IS NULL;
-- deleteMbomItem's guard looks its item up here.
CREATE INDEX build_requirements_origin ON build_requirements (origin_mbom_item_id) WHERE deleted_at IS NULL;

CREATE TABLE abom_installations (
    id                      INTEGER PRIMARY KEY,
    org_id                  INTEGER NOT NULL REFERENCES organizations (id),
    build_requirement_id    INTEGER NOT NULL REFERENCES build_requirements (id),
    part_inventory_id       INTEGER NOT NULL REFERENCES part_inventories (id),
    quantity                REAL NOT NULL,
    reference_designator_id INTEGER REFERENCES mbom_reference_designators (id),
    etag                    TEXT NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    created_by_id           INTEGER REFERENCES users (id),
    updated_by_id           INTEGER REFERENCES users (id),
    deleted_at              TIMESTAMP
);
CREATE INDEX abom_installations_requirement ON abom_installations (build_requirement_id) WHERE deleted_at IS NULL;
CREATE INDEX abom_installations_unit ON abom_installations (part_inventory_id) WHERE deleted_at IS NULL;

-- +goose Down
DROP TABLE abom_installations;
DROP TABLE build_requirements;
