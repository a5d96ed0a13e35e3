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
-- +goose StatementBegin
CREATE TRIGGER parts_live_inserted AFTER INSERT ON parts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'parts', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parts_live_restored AFTER UPDATE OF deleted_at ON parts WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'parts', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parts_live_deleted AFTER UPDATE OF deleted_at ON parts WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'parts', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parts_live_removed AFTER DELETE ON parts WHEN OLD.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'parts', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER part_inventories_live_inserted AFTER INSERT ON part_inventories WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'part_inventories', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER part_inventories_live_restored AFTER UPDATE OF deleted_at ON part_inventories WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'part_inventories', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER part_inventories_live_deleted AFTER UPDATE OF deleted_at ON part_inventories WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'part_inventories', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER part_inventories_live_removed AFTER DELETE ON part_inventories WHEN OLD.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'part_inventories', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER locations_live_inserted AFTER INSERT ON locations WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'locations', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER locations_live_restored AFTER UPDATE OF deleted_at ON locations WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'locations', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER locations_live_deleted AFTER UPDATE OF deleted_at ON locations WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'locations', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER locations_live_removed AFTER DELETE ON locations WHEN OLD.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'locations', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER runs_live_inserted AFTER INSERT ON runs WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'runs', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER runs_live_restored AFTER UPDATE OF deleted_at ON runs WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (NEW.org_id, 'runs', 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER runs_live_deleted AFTER UPDATE OF deleted_at ON runs WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'runs', -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER runs_live_removed AFTER DELETE ON runs WHEN OLD.deleted_at IS NULL BEGIN
    INSERT INTO live_counts (org_id, table_name, n) VALUES (OLD.org_id, 'runs', -1);
END;
-- +goose StatementEnd
INSERT INTO live_counts (org_id, table_name, n)
    SELECT org_id, 'parts', COUNT(*) FROM parts WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'part_inventories', COUNT(*) FROM part_inventories WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'locations', COUNT(*) FROM locations WHERE deleted_at IS NULL GROUP BY org_id
    UNION ALL SELECT org_id, 'runs', COUNT(*) FROM runs WHERE deleted_at IS NULL GROUP BY org_id;

-- +goose Down
DROP TRIGGER runs_live_removed;
DROP TRIGGER runs_live_deleted;
DROP TRIGGER runs_live_restored;
DROP TRIGGER runs_live_inserted;
DROP TRIGGER locations_live_removed;
DROP TRIGGER locations_live_deleted;
DROP TRIGGER locations_live_restored;
DROP TRIGGER locations_live_inserted;
DROP TRIGGER part_inventories_live_removed;
DROP TRIGGER part_inventories_live_deleted;
DROP TRIGGER part_inventories_live_restored;
DROP TRIGGER part_inventories_live_inserted;
DROP TRIGGER parts_live_removed;
DROP TRIGGER parts_live_deleted;
DROP TRIGGER parts_live_restored;
DROP TRIGGER parts_live_inserted;
DROP TABLE live_counts;
