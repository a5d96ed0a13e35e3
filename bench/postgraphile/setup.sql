-- PostGraphile's side of the benchmark database: a role that row-level
-- security applies to (the tables' owner bypasses it), policies that scope
-- every row by the organization in the request's JWT, and the derived fields
-- and etag-checked update Shopfloor's answers have, as PostgreSQL functions.
CREATE ROLE postgraphile LOGIN;
GRANT USAGE ON SCHEMA public TO postgraphile;
GRANT SELECT ON parts, part_inventories, locations, runs, run_steps, run_step_fields, procedures TO postgraphile;
GRANT UPDATE (quantity, etag, updated_at, updated_by_id) ON part_inventories TO postgraphile;
GRANT INSERT ON audit_log TO postgraphile;

ALTER TABLE parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE part_inventories ENABLE ROW LEVEL SECURITY;
ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_org ON parts USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
CREATE POLICY by_org ON part_inventories USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
CREATE POLICY by_org ON locations USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_org ON runs USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
ALTER TABLE run_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_org ON run_steps USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
ALTER TABLE run_step_fields ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_org ON run_step_fields USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);
ALTER TABLE procedures ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_org ON procedures USING (org_id = current_setting('jwt.claims.org_id', true)::bigint AND deleted_at IS NULL);

-- PostGraphile lists a backward relation only over a whole (not partial)
-- index of its foreign key.
CREATE INDEX run_step_fields_step_all ON run_step_fields (run_step_id);

-- Part.quantity and PartInventory.status, as Shopfloor computes them.
CREATE FUNCTION parts_quantity(p parts) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT COALESCE(SUM(quantity), 0) FROM part_inventories WHERE part_id = p.id AND deleted_at IS NULL
$$;
CREATE FUNCTION part_inventories_status(i part_inventories) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN i.quantity = 0 OR COALESCE((SELECT l.inventory_available FROM locations l WHERE l.id = i.location_id), TRUE) = FALSE
    THEN 'UNAVAILABLE' ELSE 'AVAILABLE' END
$$;

-- updatePartInventoryChecked: Shopfloor's etag-checked update with its audit row.
CREATE FUNCTION update_part_inventory_checked(inventory_id bigint, expected_etag text, new_quantity double precision)
RETURNS part_inventories LANGUAGE sql VOLATILE AS $$
  WITH changed AS (
    UPDATE part_inventories SET quantity = $3, etag = md5(random()::text), updated_at = now(),
      updated_by_id = current_setting('jwt.claims.user_id')::bigint
    WHERE id = $1 AND etag = $2 AND deleted_at IS NULL RETURNING *
  ), audited AS (
    INSERT INTO audit_log (org_id, at, user_id, operation, entity, entity_id)
    SELECT org_id, now(), updated_by_id, 'UpdatePartInventory', 'PartInventory', id FROM changed
  )
  SELECT * FROM changed
$$;

-- Tables the compared operations never read stay out of PostGraphile's
-- schema: their names and columns collide with its own (entities.row_id
-- with Amber's rowId, run_step_edges with the connection edge of run_steps).
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
      AND tablename NOT IN ('parts', 'part_inventories', 'locations', 'runs', 'run_steps', 'run_step_fields', 'procedures') LOOP
    EXECUTE format('COMMENT ON TABLE %I IS %L', t, '@behavior -*');
  END LOOP;
END $$;
