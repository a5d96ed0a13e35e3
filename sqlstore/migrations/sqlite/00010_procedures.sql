-- +goose Up
-- Procedures: versioned work instructions. A family is every version of one
-- procedure; its id is the id of its first version (family_id), and it is
-- an entity (kind ProcedureFamily) so that labels attach to it.
CREATE TABLE procedures (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    family_id         INTEGER REFERENCES procedures (id),
    version           INTEGER NOT NULL DEFAULT 1,
    title             TEXT NOT NULL,
    description       TEXT,
    type              TEXT,
    status            TEXT NOT NULL DEFAULT 'DRAFT',
    export_controlled BOOLEAN NOT NULL DEFAULT FALSE,
    attributes        TEXT NOT NULL DEFAULT '[]',
    etag              TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    created_by_id     INTEGER REFERENCES users (id),
    updated_by_id     INTEGER REFERENCES users (id),
    deleted_at        TIMESTAMP
);
CREATE INDEX procedures_org_live ON procedures (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX procedures_family ON procedures (family_id);

-- Steps form a tree under a procedure (procedure_id on every level; null
-- for a standard step); position orders siblings from 0.
CREATE TABLE steps (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organizations (id),
    procedure_id        INTEGER REFERENCES procedures (id),
    parent_id           INTEGER REFERENCES steps (id),
    position            INTEGER NOT NULL,
    title               TEXT,
    type                TEXT NOT NULL DEFAULT 'CONTENT',
    content             TEXT,
    slate_content       TEXT,
    lead_time           TEXT,
    location_id         INTEGER REFERENCES locations (id),
    location_subtype_id INTEGER,
    origin_step_id      INTEGER REFERENCES steps (id),
    attributes          TEXT NOT NULL DEFAULT '[]',
    etag                TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    created_by_id       INTEGER REFERENCES users (id),
    updated_by_id       INTEGER REFERENCES users (id),
    deleted_at          TIMESTAMP
);
CREATE INDEX steps_org_live ON steps (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX steps_procedure ON steps (procedure_id) WHERE deleted_at IS NULL;
CREATE INDEX steps_parent ON steps (parent_id) WHERE deleted_at IS NULL;

CREATE TABLE step_fields (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    step_id              INTEGER NOT NULL REFERENCES steps (id),
    name                 TEXT NOT NULL,
    type                 TEXT NOT NULL,
    unit                 TEXT,
    options              TEXT,
    display              TEXT,
    required             BOOLEAN NOT NULL DEFAULT FALSE,
    allow_not_applicable BOOLEAN NOT NULL DEFAULT FALSE,
    allowed_ion_type     TEXT,
    signoff_role_id      INTEGER REFERENCES roles (id),
    peer_review_required BOOLEAN NOT NULL DEFAULT FALSE,
    validations          TEXT NOT NULL DEFAULT '[]',
    etag                 TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    created_by_id        INTEGER REFERENCES users (id),
    updated_by_id        INTEGER REFERENCES users (id),
    deleted_at           TIMESTAMP
);
CREATE INDEX step_fields_step ON step_fields (step_id) WHERE deleted_at IS NULL;

-- A dependency: step_id starts only after upstream_step_id completes.
CREATE TABLE step_edges (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organizations (id),
    step_id          INTEGER NOT NULL REFERENCES steps (id),
    upstream_step_id INTEGER NOT NULL REFERENCES steps (id),
    etag             TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    created_by_id    INTEGER REFERENCES users (id),
    updated_by_id    INTEGER REFERENCES users (id),
    deleted_at       TIMESTAMP
);
CREATE UNIQUE INDEX step_edges_pair ON step_edges (step_id, upstream_step_id) WHERE deleted_at IS NULL;
CREATE INDEX step_edges_upstream ON step_edges (upstream_step_id) WHERE deleted_at IS NULL;

CREATE TABLE datagrid_columns (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    step_id         INTEGER NOT NULL REFERENCES steps (id),
    column_index    INTEGER NOT NULL,
    header          TEXT,
    type            TEXT NOT NULL,
    unit            TEXT,
    options         TEXT,
    editable        BOOLEAN NOT NULL DEFAULT TRUE,
    settable        BOOLEAN NOT NULL DEFAULT TRUE,
    signoff_role_id INTEGER REFERENCES roles (id),
    etag            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    created_by_id   INTEGER REFERENCES users (id),
    updated_by_id   INTEGER REFERENCES users (id),
    deleted_at      TIMESTAMP
);
CREATE INDEX datagrid_columns_step ON datagrid_columns (step_id) WHERE deleted_at IS NULL;

CREATE TABLE datagrid_rows (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    step_id              INTEGER NOT NULL REFERENCES steps (id),
    row_index            INTEGER NOT NULL,
    required             BOOLEAN NOT NULL DEFAULT FALSE,
    allow_not_applicable BOOLEAN NOT NULL DEFAULT FALSE,
    etag                 TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    created_by_id        INTEGER REFERENCES users (id),
    updated_by_id        INTEGER REFERENCES users (id),
    deleted_at           TIMESTAMP
);
CREATE INDEX datagrid_rows_step ON datagrid_rows (step_id) WHERE deleted_at IS NULL;

-- One cell: the value (any JSON) of a row at a column.
CREATE TABLE datagrid_values (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations (id),
    row_id         INTEGER NOT NULL REFERENCES datagrid_rows (id),
    column_id      INTEGER NOT NULL REFERENCES datagrid_columns (id),
    value          TEXT,
    not_applicable BOOLEAN NOT NULL DEFAULT FALSE,
    etag           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    created_by_id  INTEGER REFERENCES users (id),
    updated_by_id  INTEGER REFERENCES users (id),
    deleted_at     TIMESTAMP
);
CREATE UNIQUE INDEX datagrid_values_cell ON datagrid_values (row_id, column_id) WHERE deleted_at IS NULL;

-- Labels: one library per organization; a label is put on any entity
-- (by its entityId: a procedure family, a step, later runs).
CREATE TABLE labels (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    value         TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX labels_value ON labels (org_id, value) WHERE deleted_at IS NULL;
CREATE TABLE label_links (
    org_id    INTEGER NOT NULL REFERENCES organizations (id),
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    label_id  INTEGER NOT NULL REFERENCES labels (id),
    PRIMARY KEY (entity_id, label_id)
);
CREATE INDEX label_links_label ON label_links (label_id);

-- The approvals an organization requires before a change (gate
-- PROCEDURE_RELEASE): count distinct approvers holding the role.
CREATE TABLE approval_roles (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    gate          TEXT NOT NULL,
    role_id       INTEGER NOT NULL REFERENCES roles (id),
    count         INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX approval_roles_role ON approval_roles (org_id, gate, role_id) WHERE deleted_at IS NULL;

-- A reviewer's approval of a procedure in review: the person approving
-- (for an API key, the person who made it) and the roles (a JSON list of
-- ids) they held when approving.
CREATE TABLE procedure_reviews (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    procedure_id  INTEGER NOT NULL REFERENCES procedures (id),
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
CREATE INDEX procedure_reviews_procedure ON procedure_reviews (procedure_id) WHERE deleted_at IS NULL;

-- +goose Down
DROP TABLE procedure_reviews;
DROP TABLE approval_roles;
DROP TABLE label_links;
DROP TABLE labels;
DROP TABLE datagrid_values;
DROP TABLE datagrid_rows;
DROP TABLE datagrid_columns;
DROP TABLE step_edges;
DROP TABLE step_fields;
DROP TABLE steps;
DROP TABLE procedures;
