-- +goose Up
-- Secrets the server keeps in its store, so that replicas agree on them
-- (the key that signs file URLs).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Parts own attachments too (their thumbnail is one of them).
INSERT INTO entities (org_id, kind, row_id) SELECT org_id, 'Part', id FROM parts ORDER BY id;

-- One upload URL's object: made with the URL, its content recorded when a
-- PUT has streamed all of it into the blob store (single use).
CREATE TABLE file_uploads (
    s3_key          TEXT PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    -- a PUT holds the URL until then, so that two cannot both write it
    uploading_until TIMESTAMP,
    uploaded_at     TIMESTAMP,
    size            INTEGER,
    sha256          TEXT
);

CREATE TABLE file_attachments (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    entity_id     INTEGER NOT NULL REFERENCES entities (id),
    s3_key        TEXT NOT NULL REFERENCES file_uploads (s3_key),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    asset         BOOLEAN NOT NULL DEFAULT FALSE,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX file_attachments_entity ON file_attachments (entity_id) WHERE deleted_at IS NULL;
CREATE INDEX file_attachments_org_live ON file_attachments (org_id, id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_receivers (
    id                     INTEGER PRIMARY KEY,
    org_id                 INTEGER NOT NULL REFERENCES organizations (id),
    name                   TEXT NOT NULL,
    description            TEXT,
    webhook_uri            TEXT NOT NULL,
    shared_secret          TEXT NOT NULL,
    content_type           TEXT NOT NULL DEFAULT 'application/json',
    expected_response_code INTEGER NOT NULL DEFAULT 200,
    active                 BOOLEAN NOT NULL DEFAULT TRUE,
    -- why delivery stopped, when it did by itself
    disabled_reason        TEXT,
    -- the first failure of the current run of failures
    failing_since          TIMESTAMP,
    etag                   TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    created_by_id          INTEGER REFERENCES users (id),
    updated_by_id          INTEGER REFERENCES users (id),
    deleted_at             TIMESTAMP
);
CREATE INDEX webhook_receivers_org_live ON webhook_receivers (org_id, id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_subscriptions (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    receiver_id   INTEGER NOT NULL REFERENCES webhook_receivers (id),
    resource      TEXT NOT NULL,
    action        TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX webhook_subscriptions_match ON webhook_subscriptions (org_id, resource, action) WHERE deleted_at IS NULL;
CREATE INDEX webhook_subscriptions_receiver ON webhook_subscriptions (receiver_id) WHERE deleted_at IS NULL;

-- The outbox: one row per change of a subscribed resource and subscription,
-- written in the change's own transaction, until it is delivered.
CREATE TABLE webhook_events (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id),
    receiver_id     INTEGER NOT NULL REFERENCES webhook_receivers (id),
    resource        TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity_id       INTEGER NOT NULL,
    occurred_at     TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- a sender holds the event until then; past it, another may take it
    leased_until    TIMESTAMP,
    delivered_at    TIMESTAMP,
    -- set when its receiver was disabled: the event will not be sent
    abandoned_at    TIMESTAMP
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX webhook_events_entity ON webhook_events (receiver_id, resource, entity_id, id) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX webhook_events_org ON webhook_events (org_id, receiver_id, id);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    event_id    INTEGER NOT NULL REFERENCES webhook_events (id),
    receiver_id INTEGER NOT NULL REFERENCES webhook_receivers (id),
    -- the event's subscription and change, as the log shows them
    subscription_id INTEGER NOT NULL,
    resource    TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TIMESTAMP NOT NULL,
    status_code INTEGER,
    error       TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_org ON webhook_deliveries (org_id, receiver_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_subscriptions;
DROP TABLE webhook_receivers;
DROP TABLE file_attachments;
DROP TABLE file_uploads;
DELETE FROM entities WHERE kind = 'Part';
DROP TABLE server_secrets;
