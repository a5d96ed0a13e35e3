-- +goose Up
-- mBOM versions: each assembly part's mBOM is versioned (1, 2, …) through
-- DRAFT → IN_REVIEW → RELEASED → ARCHIVED. A part has at most one RELEASED
-- version and at most one open (DRAFT or IN_REVIEW) version, decided by the
-- database (partial unique indexes), so concurrent releases cannot both win.
CREATE TABLE mboms (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    part_id       INTEGER NOT NULL REFERENCES parts (id),
    version       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX mboms_part_version ON mboms (org_id, part_id, version) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX mboms_released ON mboms (org_id, part_id) WHERE status = 'RELEASED' AND deleted_at IS NULL;
CREATE UNIQUE INDEX mboms_open ON mboms (org_id, part_id) WHERE status IN ('DRAFT', 'IN_REVIEW') AND deleted_at IS NULL;

-- Every item belongs to one version of its parent's mBOM: the items there
-- before versions become each part's first version, a DRAFT.
ALTER TABLE mbom_items ADD COLUMN mbom_id INTEGER REFERENCES mboms (id);
INSERT INTO mboms (org_id, part_id, version, status, etag, created_at, updated_at)
    SELECT org_id, parent_id, 1, 'DRAFT', lower(hex(randomblob(16))), MIN(created_at), MAX(updated_at)
    FROM mbom_items WHERE deleted_at IS NULL GROUP BY org_id, parent_id;
UPDATE mbom_items SET mbom_id = (SELECT v.id FROM mboms v WHERE v.org_id = mbom_items.org_id AND v.part_id = mbom_items.parent_id);
-- A part is once in a version (it was once under a parent).
DROP INDEX mbom_items_parent_part;
CREATE UNIQUE INDEX mbom_items_version_part ON mbom_items (mbom_id, part_id) WHERE deleted_at IS NULL;
CREATE INDEX mbom_items_parent ON mbom_items (org_id, parent_id) WHERE deleted_at IS NULL;
CREATE INDEX mbom_substitutes_part ON mbom_substitutes (part_id) WHERE deleted_at IS NULL;

-- An approver's approval of an mBOM version in review, as procedure_reviews
-- holds a procedure's: the person and the roles (JSON ids) they held.
CREATE TABLE mbom_reviews (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    mbom_id       INTEGER NOT NULL REFERENCES mboms (id),
    approver_id   INTEGER NOT NULL REFERENCES users (id),
    role_ids      TEXT NOT NULL,
    comment       TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX mbom_reviews_mbom ON mbom_reviews (mbom_id) WHERE deleted_at IS NULL;

-- +goose Down
DROP TABLE mbom_reviews;
DROP INDEX mbom_substitutes_part;
DROP INDEX mbom_items_parent;
DROP INDEX mbom_items_version_part;
CREATE UNIQUE INDEX mbom_items_parent_part ON mbom_items (org_id, parent_id, part_id) WHERE deleted_at IS NULL;
ALTER TABLE mbom_items DROP COLUMN mbom_id;
DROP TABLE mboms;
