-- +goose Up
-- Manufacturing BOMs: an mBOM item puts quantity of a part (part_id) into
-- an assembly, its parent part (parent_id). The items form a graph of parts
-- that must stay acyclic (checked with WITH RECURSIVE in the transaction
-- that writes an item); a part is under a parent once.
CREATE TABLE mbom_items (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organizations (id),
    parent_id        INTEGER NOT NULL REFERENCES parts (id),
    part_id          INTEGER NOT NULL REFERENCES parts (id),
    quantity         REAL NOT NULL,
    made_on_assembly BOOLEAN NOT NULL DEFAULT FALSE,
    etag             TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    created_by_id    INTEGER REFERENCES users (id),
    updated_by_id    INTEGER REFERENCES users (id),
    deleted_at       TIMESTAMP
);
CREATE UNIQUE INDEX mbom_items_parent_part ON mbom_items (org_id, parent_id, part_id) WHERE deleted_at IS NULL;
-- The parents a part is used in: the cycle check walks up from them.
CREATE INDEX mbom_items_part ON mbom_items (part_id) WHERE deleted_at IS NULL;

-- A part that may replace an mBOM item's part.
CREATE TABLE mbom_substitutes (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    mbom_item_id  INTEGER NOT NULL REFERENCES mbom_items (id),
    part_id       INTEGER NOT NULL REFERENCES parts (id),
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX mbom_substitutes_item_part ON mbom_substitutes (mbom_item_id, part_id) WHERE deleted_at IS NULL;

-- Where an mBOM item goes on the board: R1, C12.
CREATE TABLE mbom_reference_designators (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    mbom_item_id  INTEGER NOT NULL REFERENCES mbom_items (id),
    value         TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX mbom_reference_designators_value ON mbom_reference_designators (mbom_item_id, value) WHERE deleted_at IS NULL;

-- +goose Down
DROP TABLE mbom_reference_designators;
DROP TABLE mbom_substitutes;
DROP TABLE mbom_items;
