-- +goose Up
-- The first answer to a request sent with an Idempotency-Key, per
-- organization and principal, replayed to its retries until it expires.
-- status is NULL while the first request runs.
CREATE TABLE idempotency_keys (
    org_id       INTEGER NOT NULL REFERENCES organizations (id),
    principal    TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    status       INTEGER,
    header       TEXT,
    body         BLOB,
    PRIMARY KEY (org_id, principal, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
