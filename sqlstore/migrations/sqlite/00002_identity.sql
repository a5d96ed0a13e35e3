-- +goose Up
-- Organization settings: a read-only schema flag, the email domains its
-- users may sign in with (comma-separated), and feature flags that differ
-- from the defaults.
ALTER TABLE organizations ADD COLUMN read_only_schema BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN login_domains TEXT NOT NULL DEFAULT '';
UPDATE organizations SET login_domains = domain;

CREATE TABLE org_features (
    org_id  INTEGER NOT NULL REFERENCES organizations (id),
    feature TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, feature)
);

-- A user is a PERSON, who may sign in with a password, or the SERVICE
-- identity of one API key.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'PERSON';
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN updated_by_id INTEGER REFERENCES users (id);

-- The person who made a key: its permissions are theirs at that time, and
-- deactivating them disables it.
ALTER TABLE api_keys ADD COLUMN created_by_id INTEGER REFERENCES users (id);
ALTER TABLE api_keys ADD COLUMN updated_by_id INTEGER REFERENCES users (id);
UPDATE api_keys SET created_by_id = user_id;

CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    name          TEXT NOT NULL,
    supervisor_id INTEGER REFERENCES users (id),
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE team_users (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE team_roles (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    role_id INTEGER NOT NULL REFERENCES roles (id),
    PRIMARY KEY (team_id, role_id)
);

-- Who made each change: the user, and the API key when one was used.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    client_id  TEXT,
    operation  TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (org_id, entity, entity_id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE team_roles;
DROP TABLE team_users;
DROP TABLE teams;
ALTER TABLE api_keys DROP COLUMN updated_by_id;
ALTER TABLE api_keys DROP COLUMN created_by_id;
ALTER TABLE users DROP COLUMN updated_by_id;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users DROP COLUMN kind;
DROP TABLE org_features;
ALTER TABLE organizations DROP COLUMN login_domains;
ALTER TABLE organizations DROP COLUMN read_only_schema;
