-- +goose Up
-- Custom attribute definitions: per organization and entity type (PART,
-- PART_INVENTORY, ISSUE; suppliers and runs add theirs), a key, its type
-- and, for SELECT and MULTISELECT, the options (a JSON list).
CREATE TABLE attribute_definitions (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    entity_type   TEXT NOT NULL,
    key           TEXT NOT NULL,
    type          TEXT NOT NULL,
    options       TEXT NOT NULL DEFAULT '[]',
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX attribute_definitions_key ON attribute_definitions (org_id, entity_type, key) WHERE deleted_at IS NULL;

-- Inventory's custom attributes, as parts' (a JSON list of {key, type, value}).
ALTER TABLE part_inventories ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';

-- Issues (NCRs): status, disposition, and the conditions as JSON (Slate).
CREATE TABLE issues (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organizations (id),
    title              TEXT,
    description        TEXT,
    status             TEXT NOT NULL,
    disposition_type   TEXT,
    disposition        TEXT,
    expected_condition TEXT,
    cause_condition    TEXT,
    etag               TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    created_by_id      INTEGER REFERENCES users (id),
    updated_by_id      INTEGER REFERENCES users (id),
    deleted_at         TIMESTAMP
);
CREATE INDEX issues_org ON issues (org_id, id);

-- What an issue is about, one row per link: the kind of the linked row
-- (Part, PartInventory; Run and RunStep later), its role for the issue
-- (OCCURRED_ON; FOUND_ON, RESOLVE_BY, FIXED_BY later) and its id.
CREATE TABLE issue_links (
    id        INTEGER PRIMARY KEY,
    org_id    INTEGER NOT NULL REFERENCES organizations (id),
    issue_id  INTEGER NOT NULL REFERENCES issues (id),
    kind      TEXT NOT NULL,
    role      TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    UNIQUE (issue_id, kind, role)
);
CREATE INDEX issue_links_target ON issue_links (kind, target_id);

-- An issue's custom attributes, one row each, with its own etag (ION's Etag).
CREATE TABLE issue_attributes (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    issue_id      INTEGER NOT NULL REFERENCES issues (id),
    key           TEXT NOT NULL,
    type          TEXT,
    value         TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    UNIQUE (issue_id, key)
);

-- Barcode templates (ZPL with placeholders) and the labels made from them
-- for an entity (by its entityId).
CREATE TABLE barcode_templates (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    name          TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    template      TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE TABLE barcode_labels (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    entity_id     INTEGER NOT NULL REFERENCES entities (id),
    template_id   INTEGER NOT NULL REFERENCES barcode_templates (id),
    barcode       TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id)
);

-- Rules (ION Actions), stored and returned; their code is not executed.
CREATE TABLE rules (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    title         TEXT NOT NULL,
    target        TEXT NOT NULL,
    rule_type     TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    enabled       BOOLEAN NOT NULL DEFAULT 0,
    context       TEXT,
    code          TEXT,
    error_state   TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);

-- In-app notifications, one row per recipient.
CREATE TABLE notifications (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    user_id           INTEGER NOT NULL REFERENCES users (id),
    notification_type TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT,
    link_text         TEXT,
    path              TEXT,
    etag              TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    created_by_id     INTEGER REFERENCES users (id),
    updated_by_id     INTEGER REFERENCES users (id)
);
CREATE INDEX notifications_user ON notifications (org_id, user_id, id);

-- +goose Down
DROP TABLE notifications;
DROP TABLE rules;
DROP TABLE barcode_labels;
DROP TABLE barcode_templates;
DROP TABLE issue_attributes;
DROP TABLE issue_links;
DROP TABLE issues;
ALTER TABLE part_inventories DROP COLUMN attributes;
DROP TABLE attribute_definitions;
