-- +goose Up
-- Who made and last changed each role and team, as for other entities.
ALTER TABLE roles ADD COLUMN created_by_id BIGINT REFERENCES users (id);
ALTER TABLE roles ADD COLUMN updated_by_id BIGINT REFERENCES users (id);
ALTER TABLE teams ADD COLUMN created_by_id BIGINT REFERENCES users (id);
ALTER TABLE teams ADD COLUMN updated_by_id BIGINT REFERENCES users (id);

-- A user's permissions are read through their teams; a role's holders by role.
CREATE INDEX team_users_user ON team_users (user_id);
CREATE INDEX user_roles_role ON user_roles (role_id);

-- The catalog of permission groups, written from the code at every start
-- (an id is the group's position in the catalog), so that permissionGroups
-- filters, sorts and pages as every other list does.
CREATE TABLE permission_groups (
    id     BIGINT PRIMARY KEY,
    name   TEXT NOT NULL,
    family TEXT NOT NULL
);

-- +goose Down
DROP TABLE permission_groups;
DROP INDEX user_roles_role;
DROP INDEX team_users_user;
ALTER TABLE teams DROP COLUMN updated_by_id;
ALTER TABLE teams DROP COLUMN created_by_id;
ALTER TABLE roles DROP COLUMN updated_by_id;
ALTER TABLE roles DROP COLUMN created_by_id;
