-- +goose Up
-- Time tracking: a person's sessions on run steps, checked in, then out.
-- A person has at most one open session per step, decided by the database
-- (sessions_open), so two concurrent check-ins cannot both succeed.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    run_step_id   INTEGER NOT NULL REFERENCES run_steps (id),
    check_in      TIMESTAMP NOT NULL,
    check_out     TIMESTAMP,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER NOT NULL REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX sessions_org_live ON sessions (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX sessions_run_step ON sessions (run_step_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX sessions_open ON sessions (run_step_id, created_by_id) WHERE check_out IS NULL AND deleted_at IS NULL;

-- +goose Down
DROP TABLE sessions;
