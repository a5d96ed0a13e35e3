-- +goose Up
-- CORS looks up the organizations that registered a browser origin, before
-- any principal is known.
CREATE INDEX oauth_redirect_uris_origin ON oauth_redirect_uris (uri) WHERE uri_type = 'origin';

-- +goose Down
DROP INDEX oauth_redirect_uris_origin;
