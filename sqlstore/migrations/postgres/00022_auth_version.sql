-- +goose Up
-- The principal's version: every change to what a request's principal is
-- loaded from (an account's state, its organization's state and flags, an
-- API key's state and permissions, roles, teams and their members, OAuth
-- apps and grants) bumps its organization's auth_version in the change's
-- own transaction, by these triggers, so a replica's cached principal is
-- valid while the version it was read with is current.
ALTER TABLE organizations ADD COLUMN auth_version BIGINT NOT NULL DEFAULT 0;
-- A part's live inventory quantities, for its quantity read from the index.
CREATE INDEX part_inventories_part_live ON part_inventories (part_id, quantity) WHERE deleted_at IS NULL;
-- +goose StatementBegin
CREATE FUNCTION organizations_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.auth_version := OLD.auth_version + 1;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER organizations_auth BEFORE UPDATE OF state, read_only_schema, login_domains ON organizations FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.read_only_schema IS DISTINCT FROM NEW.read_only_schema OR OLD.login_domains IS DISTINCT FROM NEW.login_domains)
    EXECUTE FUNCTION organizations_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION users_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER users_auth AFTER UPDATE OF org_id, email, kind, active ON users FOR EACH ROW EXECUTE FUNCTION users_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION org_features_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER org_features_auth AFTER INSERT OR UPDATE OR DELETE ON org_features FOR EACH ROW EXECUTE FUNCTION org_features_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION api_keys_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER api_keys_auth AFTER UPDATE OF org_id, user_id, client_id, enabled, token_generation, deleted_at OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION api_keys_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION api_key_permissions_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT k.org_id FROM api_keys k WHERE k.id = OLD.api_key_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT k.org_id FROM api_keys k WHERE k.id = NEW.api_key_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER api_key_permissions_auth AFTER INSERT OR UPDATE OR DELETE ON api_key_permissions FOR EACH ROW EXECUTE FUNCTION api_key_permissions_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION roles_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER roles_auth AFTER DELETE ON roles FOR EACH ROW EXECUTE FUNCTION roles_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION role_permissions_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM roles x WHERE x.id = OLD.role_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM roles x WHERE x.id = NEW.role_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER role_permissions_auth AFTER INSERT OR UPDATE OR DELETE ON role_permissions FOR EACH ROW EXECUTE FUNCTION role_permissions_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION user_roles_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM users x WHERE x.id = OLD.user_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM users x WHERE x.id = NEW.user_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER user_roles_auth AFTER INSERT OR UPDATE OR DELETE ON user_roles FOR EACH ROW EXECUTE FUNCTION user_roles_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION teams_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER teams_auth AFTER DELETE ON teams FOR EACH ROW EXECUTE FUNCTION teams_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION team_roles_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = OLD.team_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER team_roles_auth AFTER INSERT OR UPDATE OR DELETE ON team_roles FOR EACH ROW EXECUTE FUNCTION team_roles_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION team_users_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = OLD.team_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM teams x WHERE x.id = NEW.team_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER team_users_auth AFTER INSERT OR UPDATE OR DELETE ON team_users FOR EACH ROW EXECUTE FUNCTION team_users_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION oauth_apps_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER oauth_apps_auth AFTER UPDATE OF org_id, client_id, deleted_at OR DELETE ON oauth_apps FOR EACH ROW EXECUTE FUNCTION oauth_apps_auth_bump();
-- +goose StatementBegin
CREATE FUNCTION oauth_grants_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM oauth_apps x WHERE x.id = OLD.app_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE organizations SET auth_version = auth_version + 1 WHERE id = (SELECT x.org_id FROM oauth_apps x WHERE x.id = NEW.app_id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER oauth_grants_auth AFTER UPDATE OF revoked_at OR DELETE ON oauth_grants FOR EACH ROW EXECUTE FUNCTION oauth_grants_auth_bump();

-- +goose Down
DROP TRIGGER organizations_auth ON organizations;
DROP FUNCTION organizations_auth_bump();
DROP TRIGGER users_auth ON users;
DROP FUNCTION users_auth_bump();
DROP TRIGGER org_features_auth ON org_features;
DROP FUNCTION org_features_auth_bump();
DROP TRIGGER api_keys_auth ON api_keys;
DROP FUNCTION api_keys_auth_bump();
DROP TRIGGER api_key_permissions_auth ON api_key_permissions;
DROP FUNCTION api_key_permissions_auth_bump();
DROP TRIGGER roles_auth ON roles;
DROP FUNCTION roles_auth_bump();
DROP TRIGGER role_permissions_auth ON role_permissions;
DROP FUNCTION role_permissions_auth_bump();
DROP TRIGGER user_roles_auth ON user_roles;
DROP FUNCTION user_roles_auth_bump();
DROP TRIGGER teams_auth ON teams;
DROP FUNCTION teams_auth_bump();
DROP TRIGGER team_roles_auth ON team_roles;
DROP FUNCTION team_roles_auth_bump();
DROP TRIGGER team_users_auth ON team_users;
DROP FUNCTION team_users_auth_bump();
DROP TRIGGER oauth_apps_auth ON oauth_apps;
DROP FUNCTION oauth_apps_auth_bump();
DROP TRIGGER oauth_grants_auth ON oauth_grants;
DROP FUNCTION oauth_grants_auth_bump();
DROP INDEX part_inventories_part_live;
ALTER TABLE organizations DROP COLUMN auth_version;
