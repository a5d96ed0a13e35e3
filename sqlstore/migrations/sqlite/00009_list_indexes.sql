-- +goose Up
-- A list's default order is the id within the organization's live rows: these
-- serve its filter, its order and its LIMIT, and its count, from one index.
CREATE INDEX parts_org_live ON parts (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX part_inventories_org_live ON part_inventories (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX locations_org_live ON locations (org_id, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX locations_org_live;
DROP INDEX part_inventories_org_live;
DROP INDEX parts_org_live;
