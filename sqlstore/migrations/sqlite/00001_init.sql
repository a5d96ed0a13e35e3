-- +goose Up
CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL UNIQUE,
    state      TEXT NOT NULL DEFAULT 'ACTIVE',
    etag       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    email      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT 1,
    etag       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE roles (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    name       TEXT NOT NULL,
    etag       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE role_permissions (
    role_id    INTEGER NOT NULL REFERENCES roles (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role_id INTEGER NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
);

-- An API key acts as user_id with the permissions that user had when the
-- key was made (api_key_permissions). Only a hash of the secret is kept.
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    client_id   TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL DEFAULT 1,
    etag        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    deleted_at  TIMESTAMP
);

CREATE TABLE api_key_permissions (
    api_key_id INTEGER NOT NULL REFERENCES api_keys (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (api_key_id, permission)
);

-- RS256 signing keys; a retired key still verifies until its tokens expire.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    retired_at  TIMESTAMP
);

CREATE TABLE part_subtypes (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    name          TEXT NOT NULL,
    description   TEXT,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE UNIQUE INDEX part_subtypes_name ON part_subtypes (org_id, name) WHERE deleted_at IS NULL;

CREATE TABLE parts (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    part_number       TEXT NOT NULL,
    description       TEXT,
    revision          TEXT NOT NULL,
    part_type         TEXT NOT NULL,
    tracking_type     TEXT,
    status            TEXT NOT NULL,
    sourcing_strategy TEXT,
    cost              REAL,
    lead_time         REAL,
    export_controlled BOOLEAN NOT NULL DEFAULT 0,
    etag              TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    created_by_id     INTEGER REFERENCES users (id),
    updated_by_id     INTEGER REFERENCES users (id),
    deleted_at        TIMESTAMP
);
CREATE UNIQUE INDEX parts_number_revision ON parts (org_id, part_number, revision) WHERE deleted_at IS NULL;

CREATE TABLE part_subtype_links (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    part_id    INTEGER NOT NULL REFERENCES parts (id),
    subtype_id INTEGER NOT NULL REFERENCES part_subtypes (id),
    PRIMARY KEY (part_id, subtype_id)
);
CREATE INDEX part_subtype_links_subtype ON part_subtype_links (subtype_id);

CREATE TABLE locations (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organizations (id),
    name                TEXT NOT NULL,
    description         TEXT,
    location_type       TEXT,
    parent_id           INTEGER REFERENCES locations (id),
    inventory_available BOOLEAN NOT NULL DEFAULT 1,
    status              TEXT NOT NULL,
    etag                TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    created_by_id       INTEGER REFERENCES users (id),
    updated_by_id       INTEGER REFERENCES users (id),
    deleted_at          TIMESTAMP
);
CREATE INDEX locations_org ON locations (org_id);
CREATE INDEX locations_parent ON locations (parent_id);

CREATE TABLE part_inventories (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    part_id         INTEGER NOT NULL REFERENCES parts (id),
    location_id     INTEGER REFERENCES locations (id),
    serial_number   TEXT,
    lot_number      TEXT,
    quantity        REAL NOT NULL,
    cost            REAL,
    unit_of_measure TEXT,
    expiration_date TIMESTAMP,
    etag            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    created_by_id   INTEGER REFERENCES users (id),
    updated_by_id   INTEGER REFERENCES users (id),
    deleted_at      TIMESTAMP
);
CREATE INDEX part_inventories_part ON part_inventories (part_id);
CREATE INDEX part_inventories_location ON part_inventories (location_id);
CREATE INDEX part_inventories_org ON part_inventories (org_id);
CREATE UNIQUE INDEX part_inventories_serial ON part_inventories (part_id, serial_number)
    WHERE deleted_at IS NULL AND serial_number IS NOT NULL;

-- +goose Down
DROP TABLE part_inventories;
DROP TABLE locations;
DROP TABLE part_subtype_links;
DROP TABLE parts;
DROP TABLE part_subtypes;
DROP TABLE signing_keys;
DROP TABLE api_key_permissions;
DROP TABLE api_keys;
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE users;
DROP TABLE organizations;
