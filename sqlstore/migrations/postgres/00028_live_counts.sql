-- +goose Up
-- Each organization's live rows (deleted_at IS NULL) of the tables whose
-- lists are long, as the sum of the changes these triggers append in the
-- transaction of every insert, deletion and restore, so that an unfiltered
-- list's totalCount sums a few rows instead of counting the organization's:
-- the same number, in the same snapshot. Appending takes no lock that
-- concurrent writers could queue or deadlock on; the store folds each
-- organization's rows into one now and then (CompactLiveCounts).
CREATE TABLE live_counts (
    org_id BIGINT NOT NULL,
    table_name TEXT NOT NULL,
    n BIGINT NOT NULL
);
CREATE INDEX live_counts_of ON live_counts (org_id, table_name);
-- The rows a statement inserted, once per statement and organization.
-- +goose StatementBegin
CREATE FUNCTION live_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_counts (org_id, table_name, n)
        SELECT org_id, TG_TABLE_NAME, COUNT(*) FROM inserted_rows WHERE deleted_at IS NULL GROUP BY org_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- A row deleted, soft or hard, or restored.
-- +goose StatementBegin
CREATE FUNCTION live_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL THEN
        INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, TG_TABLE_NAME, -1);
    ELSE
        INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, TG_TABLE_NAME, 1);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER parts_live_inserted AFTER INSERT ON parts REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION live_counts_inserted();
CREATE TRIGGER parts_live_changed AFTER UPDATE OF deleted_at ON parts FOR EACH ROW
    WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER parts_live_deleted AFTER DELETE ON parts FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER part_inventories_live_inserted AFTER INSERT ON part_inventories REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION live_counts_inserted();
CREATE TRIGGER part_inventories_live_changed AFTER UPDATE OF deleted_at ON part_inventories FOR EACH ROW
    WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER part_inventories_live_deleted AFTER DELETE ON part_inventories FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER locations_live_inserted AFTER INSERT ON locations REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION live_counts_inserted();
CREATE TRIGGER locations_live_changed AFTER UPDATE OF deleted_at ON locations FOR EACH ROW
    WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER locations_live_deleted AFTER DELETE ON locations FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER runs_live_inserted AFTER INSERT ON runs REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION live_counts_inserted();
CREATE TRIGGER runs_live_changed AFTER UPDATE OF deleted_at ON runs FOR EACH ROW
    WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION live_counts_changed();
CREATE TRIGGER runs_live_deleted AFTER DELETE ON runs FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION live_counts_changed();
INSERT INTO live_counts (org_id, table_name, n)
    SELECT org_id, 'parts', COUNT(*) FROM parts WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'part_inventories', COUNT(*) FROM part_inventories WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'locations', COUNT(*) FROM locations WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'runs', COUNT(*) FROM runs WHERE deleted_at IS NULL GROUP BY org_id;

-- +goose Down
DROP TRIGGER runs_live_deleted ON runs;
DROP TRIGGER runs_live_changed ON runs;
DROP TRIGGER runs_live_inserted ON runs;
DROP TRIGGER locations_live_deleted ON locations;
DROP TRIGGER locations_live_changed ON locations;
DROP TRIGGER locations_live_inserted ON locations;
DROP TRIGGER part_inventories_live_deleted ON part_inventories;
DROP TRIGGER part_inventories_live_changed ON part_inventories;
DROP TRIGGER part_inventories_live_inserted ON part_inventories;
DROP TRIGGER parts_live_deleted ON parts;
DROP TRIGGER parts_live_changed ON parts;
DROP TRIGGER parts_live_inserted ON parts;
DROP FUNCTION live_counts_changed();
DROP FUNCTION live_counts_inserted();
DROP TABLE live_counts;
