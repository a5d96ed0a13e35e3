-- +goose Up
-- The principal's version: every change to what a request's principal is
-- loaded from (an account's state, its organization's state and flags, an
-- API key's state and permissions, roles, teams and their members, OAuth
-- apps and grants) bumps its organization's auth_version in the change's
-- own transaction, by these triggers, so a replica's cached principal is
-- valid while the version it was read with is current.
ALTER TABLE organizations ADD COLUMN auth_version INTEGER NOT NULL DEFAULT 0;
-- A part's live inventory quantities, for its quantity read from the index.
CREATE INDEX part_inventories_part_live ON part_inventories (part_id, quantity) WHERE deleted_at IS NULL;
-- +goose StatementBegin
CREATE TRIGGER organizations_auth_update AFTER UPDATE OF state, read_only_schema, login_domains ON organizations BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_auth_update AFTER UPDATE OF org_id, email, kind, active ON users BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_features_auth_insert AFTER INSERT ON org_features BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_features_auth_update AFTER UPDATE ON org_features BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_features_auth_delete AFTER DELETE ON org_features BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_keys_auth_update AFTER UPDATE OF org_id, user_id, client_id, enabled, token_generation, deleted_at ON api_keys BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_keys_auth_delete AFTER DELETE ON api_keys BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_key_permissions_auth_insert AFTER INSERT ON api_key_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT k.org_id FROM api_keys k WHERE k.id = NEW.api_key_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_key_permissions_auth_update AFTER UPDATE ON api_key_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT k.org_id FROM api_keys k WHERE k.id = NEW.api_key_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER api_key_permissions_auth_delete AFTER DELETE ON api_key_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT k.org_id FROM api_keys k WHERE k.id = OLD.api_key_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER roles_auth_delete AFTER DELETE ON roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER role_permissions_auth_insert AFTER INSERT ON role_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM roles x WHERE x.id = NEW.role_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER role_permissions_auth_update AFTER UPDATE ON role_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM roles x WHERE x.id = NEW.role_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER role_permissions_auth_delete AFTER DELETE ON role_permissions BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM roles x WHERE x.id = OLD.role_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_roles_auth_insert AFTER INSERT ON user_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM users x WHERE x.id = NEW.user_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_roles_auth_update AFTER UPDATE ON user_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM users x WHERE x.id = NEW.user_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_roles_auth_delete AFTER DELETE ON user_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM users x WHERE x.id = OLD.user_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER teams_auth_delete AFTER DELETE ON teams BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_roles_auth_insert AFTER INSERT ON team_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_roles_auth_update AFTER UPDATE ON team_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_roles_auth_delete AFTER DELETE ON team_roles BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = OLD.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_users_auth_insert AFTER INSERT ON team_users BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_users_auth_update AFTER UPDATE ON team_users BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_users_auth_delete AFTER DELETE ON team_users BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = OLD.team_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER oauth_apps_auth_update AFTER UPDATE OF org_id, client_id, deleted_at ON oauth_apps BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER oauth_apps_auth_delete AFTER DELETE ON oauth_apps BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER oauth_grants_auth_update AFTER UPDATE OF revoked_at ON oauth_grants BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM oauth_apps x WHERE x.id = NEW.app_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER oauth_grants_auth_delete AFTER DELETE ON oauth_grants BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM oauth_apps x WHERE x.id = OLD.app_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER organizations_auth_update;
DROP TRIGGER users_auth_update;
DROP TRIGGER org_features_auth_insert;
DROP TRIGGER org_features_auth_update;
DROP TRIGGER org_features_auth_delete;
DROP TRIGGER api_keys_auth_update;
DROP TRIGGER api_keys_auth_delete;
DROP TRIGGER api_key_permissions_auth_insert;
DROP TRIGGER api_key_permissions_auth_update;
DROP TRIGGER api_key_permissions_auth_delete;
DROP TRIGGER roles_auth_delete;
DROP TRIGGER role_permissions_auth_insert;
DROP TRIGGER role_permissions_auth_update;
DROP TRIGGER role_permissions_auth_delete;
DROP TRIGGER user_roles_auth_insert;
DROP TRIGGER user_roles_auth_update;
DROP TRIGGER user_roles_auth_delete;
DROP TRIGGER teams_auth_delete;
DROP TRIGGER team_roles_auth_insert;
DROP TRIGGER team_roles_auth_update;
DROP TRIGGER team_roles_auth_delete;
DROP TRIGGER team_users_auth_insert;
DROP TRIGGER team_users_auth_update;
DROP TRIGGER team_users_auth_delete;
DROP TRIGGER oauth_apps_auth_update;
DROP TRIGGER oauth_apps_auth_delete;
DROP TRIGGER oauth_grants_auth_update;
DROP TRIGGER oauth_grants_auth_delete;
DROP INDEX part_inventories_part_live;
ALTER TABLE organizations DROP COLUMN auth_version;
