-- +goose Up
-- Runs: executions of released procedures. A run copies the procedure's
-- step tree when it is created (run_steps, run_step_fields,
-- run_step_edges), so later versions of the procedure do not change it.
-- Its status rolls up from its steps' in the transaction that changes one.
CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    procedure_id      INTEGER NOT NULL REFERENCES procedures (id),
    part_inventory_id INTEGER REFERENCES part_inventories (id),
    part_id           INTEGER REFERENCES parts (id),
    title             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'TODO',
    started_at        TIMESTAMP,
    completed_at      TIMESTAMP,
    archived_at       TIMESTAMP,
    etag              TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    created_by_id     INTEGER REFERENCES users (id),
    updated_by_id     INTEGER REFERENCES users (id),
    deleted_at        TIMESTAMP
);
CREATE INDEX runs_org_live ON runs (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX runs_procedure ON runs (procedure_id) WHERE deleted_at IS NULL;
-- A unit's runs: what its work-in-progress status derives from.
CREATE INDEX runs_part_inventory ON runs (part_inventory_id, status) WHERE deleted_at IS NULL;

-- A run's steps form a tree (run_id on every level); origin_step_id is the
-- procedure step copied, null for a step added to the run (a redline).
CREATE TABLE run_steps (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations (id),
    run_id         INTEGER NOT NULL REFERENCES runs (id),
    parent_id      INTEGER REFERENCES run_steps (id),
    position       INTEGER NOT NULL,
    origin_step_id INTEGER REFERENCES steps (id),
    title          TEXT,
    type           TEXT NOT NULL DEFAULT 'CONTENT',
    content        TEXT,
    slate_content  TEXT,
    status         TEXT NOT NULL DEFAULT 'TODO',
    started_at     TIMESTAMP,
    completed_at   TIMESTAMP,
    etag           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    created_by_id  INTEGER REFERENCES users (id),
    updated_by_id  INTEGER REFERENCES users (id),
    deleted_at     TIMESTAMP
);
CREATE INDEX run_steps_run ON run_steps (run_id, parent_id, position) WHERE deleted_at IS NULL;
CREATE INDEX run_steps_origin ON run_steps (run_id, origin_step_id);

-- A run step's input with its value (JSON; null until entered).
CREATE TABLE run_step_fields (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    run_step_id          INTEGER NOT NULL REFERENCES run_steps (id),
    origin_field_id      INTEGER REFERENCES step_fields (id),
    name                 TEXT NOT NULL,
    type                 TEXT NOT NULL,
    unit                 TEXT,
    options              TEXT,
    required             BOOLEAN NOT NULL DEFAULT FALSE,
    allow_not_applicable BOOLEAN NOT NULL DEFAULT FALSE,
    value                TEXT,
    not_applicable       BOOLEAN NOT NULL DEFAULT FALSE,
    etag                 TEXT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    created_by_id        INTEGER REFERENCES users (id),
    updated_by_id        INTEGER REFERENCES users (id),
    deleted_at           TIMESTAMP
);
CREATE INDEX run_step_fields_step ON run_step_fields (run_step_id) WHERE deleted_at IS NULL;

-- A run step starts only after its upstream run step completes.
CREATE TABLE run_step_edges (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    run_step_id          INTEGER NOT NULL REFERENCES run_steps (id),
    upstream_run_step_id INTEGER NOT NULL REFERENCES run_steps (id),
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX run_step_edges_step ON run_step_edges (run_step_id);
CREATE INDEX run_step_edges_upstream ON run_step_edges (upstream_run_step_id);

-- +goose Down
DROP TABLE run_step_edges;
DROP TABLE run_step_fields;
DROP TABLE run_steps;
DROP TABLE runs;
