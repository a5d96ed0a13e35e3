-- +goose Up
-- OAuth 2.0 apps: public clients whose people sign in with the
-- authorization-code flow and PKCE.
CREATE TABLE oauth_apps (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    name          TEXT NOT NULL,
    app_type      TEXT NOT NULL,
    client_id     TEXT NOT NULL UNIQUE,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER NOT NULL REFERENCES users (id),
    updated_by_id INTEGER NOT NULL REFERENCES users (id),
    deleted_at    TIMESTAMP
);
CREATE INDEX oauth_apps_org ON oauth_apps (org_id);

-- Callback, origin and logout URLs, matched exactly.
CREATE TABLE oauth_redirect_uris (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    app_id        INTEGER NOT NULL REFERENCES oauth_apps (id),
    uri           TEXT NOT NULL,
    uri_type      TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    created_by_id INTEGER NOT NULL REFERENCES users (id),
    updated_by_id INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (app_id, uri_type, uri)
);

-- Authorization codes, by hash: single use, short-lived.
CREATE TABLE oauth_codes (
    code_hash      TEXT PRIMARY KEY,
    app_id         INTEGER NOT NULL REFERENCES oauth_apps (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    scope          TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);

-- Refresh tokens, by hash; each use revokes it and issues the next.
CREATE TABLE refresh_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    app_id      INTEGER NOT NULL REFERENCES oauth_apps (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    scope       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);

-- +goose Down
DROP TABLE refresh_tokens;
DROP TABLE oauth_codes;
DROP TABLE oauth_redirect_uris;
DROP TABLE oauth_apps;
