-- +goose Up
-- ION's permission-group ids replace positions in the catalog; the code
-- writes ION's dump at the next start (roles hold group names, not ids).
DELETE FROM permission_groups;

-- An organization's settings, as ION's JSON object ({"rules": {...}}).
ALTER TABLE organizations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- ION's entityId: one key, unique in the whole database, for any entity
-- that owns attachments and labels (a location today; steps, run steps and
-- runs later), naming the entity by its kind and row id.
CREATE TABLE entities (
    id     INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind   TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    UNIQUE (kind, row_id)
);
INSERT INTO entities (org_id, kind, row_id) SELECT org_id, 'Location', id FROM locations ORDER BY id;

CREATE TABLE units_of_measurement (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    type          TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX units_of_measurement_type ON units_of_measurement (org_id, type) WHERE deleted_at IS NULL;

-- Parts: custom attributes (a JSON list of {key, type, value}), purchase
-- type, the supplier's part number, and the part a revision was made from.
ALTER TABLE parts ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE parts ADD COLUMN purchase_type TEXT;
ALTER TABLE parts ADD COLUMN supplier_part_number TEXT;
ALTER TABLE parts ADD COLUMN revised_from_id INTEGER REFERENCES parts (id);
CREATE INDEX parts_revised_from ON parts (revised_from_id);

-- Inventory: its unit is a unit of measurement (the free text becomes one
-- unit per distinct text), and its usage type.
ALTER TABLE part_inventories ADD COLUMN unit_of_measure_id INTEGER REFERENCES units_of_measurement (id);
ALTER TABLE part_inventories ADD COLUMN usage_type TEXT;
INSERT INTO units_of_measurement (org_id, type, etag, created_at, updated_at)
    SELECT org_id, unit_of_measure, lower(hex(randomblob(16))), MIN(created_at), MIN(created_at)
    FROM part_inventories WHERE unit_of_measure IS NOT NULL GROUP BY org_id, unit_of_measure;
UPDATE part_inventories SET unit_of_measure_id = (SELECT u.id FROM units_of_measurement u
    WHERE u.org_id = part_inventories.org_id AND u.type = part_inventories.unit_of_measure)
    WHERE unit_of_measure IS NOT NULL;
ALTER TABLE part_inventories DROP COLUMN unit_of_measure;

-- +goose Down
ALTER TABLE part_inventories ADD COLUMN unit_of_measure TEXT;
UPDATE part_inventories SET unit_of_measure = (SELECT u.type FROM units_of_measurement u WHERE u.id = part_inventories.unit_of_measure_id);
ALTER TABLE part_inventories DROP COLUMN usage_type;
ALTER TABLE part_inventories DROP COLUMN unit_of_measure_id;
DROP INDEX parts_revised_from;
ALTER TABLE parts DROP COLUMN revised_from_id;
ALTER TABLE parts DROP COLUMN supplier_part_number;
ALTER TABLE parts DROP COLUMN purchase_type;
ALTER TABLE parts DROP COLUMN attributes;
DROP TABLE units_of_measurement;
DROP TABLE entities;
ALTER TABLE organizations DROP COLUMN settings;
