package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// slotUnit is the unit filling the slot of requirement br: the unit of its
// first installation.
const slotUnit = "(SELECT si.part_inventory_id FROM abom_installations si WHERE si.build_requirement_id = br.id AND si.deleted_at IS NULL ORDER BY si.id LIMIT 1)"

// slotParent is the item above the slot of requirement br: the item of the
// unit br is on, which is the slot that unit is first installed on, else
// the unit's own item.
const slotParent = "COALESCE((SELECT ue.id FROM abom_installations ui JOIN entities ue ON ue.kind = '" + buildRequirementKind + "' AND ue.row_id = ui.build_requirement_id " +
	"WHERE ui.part_inventory_id = br.part_inventory_id AND ui.deleted_at IS NULL ORDER BY ui.id LIMIT 1), " +
	"(SELECT re.id FROM entities re WHERE re.kind = '" + abomRootKind + "' AND re.row_id = br.part_inventory_id))"

// abomItemsView reads the legacy aBOM items off build requirements and
// installations: a unit's own item while the unit is installed nowhere
// (installed, the slot it fills stands for it), and a slot per requirement,
// whose owner is the unit the requirement is on.
const abomItemsView = "(SELECT e.id, e.org_id, CAST(NULL AS BIGINT) AS requirement_id, CAST(NULL AS BIGINT) AS owner_id, i.id AS part_inventory_id, " +
	"i.quantity, CAST(NULL AS BIGINT) AS origin_mbom_item_id, CAST(NULL AS BIGINT) AS parent_id, i.etag FROM entities e " +
	"JOIN part_inventories i ON i.id = e.row_id AND i.deleted_at IS NULL WHERE e.kind = '" + abomRootKind + "' " +
	"AND NOT EXISTS (SELECT 1 FROM abom_installations ri WHERE ri.part_inventory_id = i.id AND ri.deleted_at IS NULL) " +
	"UNION ALL SELECT e.id, e.org_id, br.id, br.part_inventory_id, " + slotUnit + ", br.quantity_per_parent, br.origin_mbom_item_id, " + slotParent + ", br.etag " +
	"FROM entities e JOIN build_requirements br ON br.id = e.row_id AND br.deleted_at IS NULL WHERE e.kind = '" + buildRequirementKind + "')"

var abomItems = &table[shopfloor.ABomItem]{
	entity: "ABomItem", name: abomItemsView, alias: "ab", kept: true,
	selects: "ab.id, ab.org_id, ab.requirement_id, ab.part_inventory_id, ab.quantity, ab.origin_mbom_item_id, ab.parent_id, ab.etag",
	fields: map[string]column{
		"id":              {"ab.id", kindID},
		"parentId":        {"ab.parent_id", kindID},
		"partInventoryId": {"ab.part_inventory_id", kindID},
	},
	dest: func(v *shopfloor.ABomItem) []any {
		return []any{&v.ID, &v.OrgID, &v.RequirementID, &v.PartInventoryID, &v.Quantity, &v.OriginMBomItemID, &v.ParentID, &v.Etag}
	},
}

// ABomItem returns one legacy aBOM item of the caller's org.
func (s *Store) ABomItem(ctx context.Context, id int64) (*shopfloor.ABomItem, error) {
	return get(ctx, s, abomItems, id)
}

// ABomItems lists the caller's legacy aBOM items.
func (s *Store) ABomItems(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.ABomItem], error) {
	return list(ctx, s, abomItems, opts)
}

// ABomItemsByIDs returns the caller's legacy aBOM items among ids.
func (s *Store) ABomItemsByIDs(ctx context.Context, ids []int64) ([]shopfloor.ABomItem, error) {
	return byIDs(ctx, s, abomItems, ids)
}

// ABomItemsByInventoryIDs returns the items each unit fills, in one
// statement.
func (s *Store) ABomItemsByInventoryIDs(ctx context.Context, unitIDs []int64) (map[int64][]shopfloor.ABomItem, error) {
	return grouped(ctx, s, abomItems, "", "ab.part_inventory_id", unitIDs)
}

// ABomChildrenByInventoryIDs returns the slots of each unit's
// requirements, in one statement.
func (s *Store) ABomChildrenByInventoryIDs(ctx context.Context, unitIDs []int64) (map[int64][]shopfloor.ABomItem, error) {
	return grouped(ctx, s, abomItems, "", "ab.owner_id", unitIDs)
}

// ABomSubtrees reads every item under each item, at any depth, in one
// WITH RECURSIVE statement.
func (s *Store) ABomSubtrees(ctx context.Context, ids []int64) (_ map[int64][]shopfloor.ABomItem, err error) {
	defer s.classify(&err)
	out := map[int64][]shopfloor.ABomItem{}
	if len(ids) == 0 {
		return out, nil
	}
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	in, args := s.dialect.idIn("ab.id", ids)
	q := "WITH RECURSIVE sub (id, tree_key) AS (SELECT ab.id, ab.id FROM " + abomItemsView + " ab WHERE ab.org_id = ? AND " + in + " " +
		"UNION ALL SELECT ab.id, sub.tree_key FROM " + abomItemsView + " ab JOIN sub ON ab.parent_id = sub.id) " +
		"SELECT " + abomItems.selects + ", sub.tree_key FROM sub JOIN " + abomItemsView + " ab ON ab.id = sub.id WHERE sub.id <> sub.tree_key ORDER BY ab.id"
	rows, err := s.query(ctx, s.read, q, append([]any{p.OrgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read aBOM subtrees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key int64
		v, err := abomItems.scanOne(rows, &key)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read aBOM subtrees: %w", err)
		}
		out[key] = append(out[key], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read aBOM subtrees: %w", err)
	}
	return out, nil
}

// CreateABomForPartInventory snapshots the unit's aBOM (snapshotABom) if
// etag is the unit's current one, which stays as it is, and returns the
// unit's item.
func (s *Store) CreateABomForPartInventory(ctx context.Context, unitID int64, etag string) (*shopfloor.ABomItem, error) {
	return mutate(ctx, s, abomItems, "CreateABomForPartInventory", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		var current string
		err := s.queryRow(ctx, tx, "SELECT etag FROM part_inventories WHERE "+inventories.rowScope(), unitID, p.OrgID).Scan(&current)
		switch {
		case err == sql.ErrNoRows:
			return 0, shopfloor.NotFound(inventories.entity, unitID)
		case err != nil:
			return 0, fmt.Errorf("sqlstore: read unit: %w", err)
		case current != etag:
			return 0, shopfloor.ErrEtagMismatch
		}
		if err := s.snapshotABom(ctx, tx, p, unitID); err != nil {
			return 0, err
		}
		if err := s.registerABomRoots(ctx, tx, p, "SELECT CAST(? AS BIGINT) AS id", unitID); err != nil {
			return 0, err
		}
		var id int64
		err = s.queryRow(ctx, tx, "SELECT ab.id FROM "+abomItemsView+" ab WHERE ab.org_id = ? AND ab.part_inventory_id = ? ORDER BY ab.id LIMIT 1", p.OrgID, unitID).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("sqlstore: read unit's aBOM item: %w", err)
		}
		return id, nil
	})
}

// UpdateABomItem changes a slot's quantity per unit: its requirement's,
// under the requirement's etag (the units' etags stay).
func (s *Store) UpdateABomItem(ctx context.Context, id int64, etag string, quantity *float64) (*shopfloor.ABomItem, error) {
	return mutate(ctx, s, abomItems, "UpdateABomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		item, err := getIn(ctx, s, tx, abomItems, p, id)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.CheckABomItemQuantity(quantity, item.RequirementID != nil); err != nil {
			return 0, err
		}
		if quantity == nil {
			return id, update(ctx, s, tx, buildRequirements, p, *item.RequirementID, etag, changes{})
		}
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return 0, err
		}
		var installed, perUnit float64
		var fixed bool
		if err := s.queryRow(ctx, tx, "SELECT COALESCE((SELECT SUM(ai.quantity) FROM abom_installations ai WHERE ai.build_requirement_id = br.id AND ai.deleted_at IS NULL), 0), "+
			"br.fixed_quantity, bu.quantity FROM build_requirements br"+buildRequirements.joins+" WHERE br.id = ?", *item.RequirementID).Scan(&installed, &fixed, &perUnit); err != nil {
			return 0, fmt.Errorf("sqlstore: read installed quantity: %w", err)
		}
		if fixed {
			perUnit = 1
		}
		if *quantity*perUnit < installed {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "ABomItem quantity must not be below what is installed on it (%g).", installed)
		}
		var c changes
		c.set("quantity_per_parent", *quantity)
		return id, update(ctx, s, tx, buildRequirements, p, *item.RequirementID, etag, c)
	})
}
