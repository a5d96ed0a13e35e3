-- +goose Up
-- Tokens die with what they were issued from. An API key's tokens carry its
-- token generation, which disabling the key or regenerating its secret
-- advances; an OAuth app's tokens carry the grant their code started, which
-- a replayed code revokes (RFC 6749 §4.1.2), with the refresh tokens of
-- that grant.
ALTER TABLE api_keys ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;

CREATE TABLE oauth_grants (
    id         INTEGER PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES oauth_apps (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

-- A redeemed code is kept, marked used, so that its replay is recognised.
ALTER TABLE oauth_codes ADD COLUMN grant_id INTEGER REFERENCES oauth_grants (id);
ALTER TABLE refresh_tokens ADD COLUMN grant_id INTEGER REFERENCES oauth_grants (id);

-- (PostgreSQL's migration also indexes parts' text for ilike with pg_trgm;
-- SQLite has no such index.)

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN grant_id;
ALTER TABLE oauth_codes DROP COLUMN grant_id;
DROP TABLE oauth_grants;
ALTER TABLE api_keys DROP COLUMN token_generation;
