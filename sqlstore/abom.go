package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// requirementQuantity is BuildRequirement.Quantity: per unit of the unit
// it is on (bu), unless fixed.
const requirementQuantity = "CASE WHEN br.fixed_quantity THEN br.quantity_per_parent ELSE br.quantity_per_parent * bu.quantity END"

var buildRequirements = &table[shopfloor.BuildRequirement]{
	entity: "BuildRequirement", name: "build_requirements", alias: "br",
	joins: " JOIN part_inventories bu ON bu.id = br.part_inventory_id",
	selects: "br.id, br.org_id, br.part_inventory_id, br.part_id, br.quantity_per_parent, " + requirementQuantity + ", " +
		"br.fixed_quantity, br.made_on_assembly, br.origin_mbom_item_id, br.etag, br.created_at, br.updated_at, br.created_by_id, br.updated_by_id",
	fields: map[string]column{
		"id":                             {"br.id", kindID},
		"partId":                         {"br.part_id", kindID},
		"partInventoryId":                {"br.part_inventory_id", kindID},
		"originMbomItemId":               {"br.origin_mbom_item_id", kindID},
		"quantityPerParentPartInventory": {"br.quantity_per_parent", kindFloat},
		"madeOnAssembly":                 {"br.made_on_assembly", kindBool},
		"createdById":                    {"br.created_by_id", kindID},
		"updatedById":                    {"br.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.BuildRequirement) []any {
		return []any{&v.ID, &v.OrgID, &v.PartInventoryID, &v.PartID, &v.QuantityPerParent, &v.Quantity,
			&v.FixedQuantity, &v.MadeOnAssembly, &v.OriginMBomItemID, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var abomInstallations = &table[shopfloor.ABomInstallation]{
	entity: "ABomInstallation", name: "abom_installations", alias: "ai",
	selects: "ai.id, ai.org_id, ai.build_requirement_id, ai.part_inventory_id, ai.quantity, ai.reference_designator_id, " +
		"ai.etag, ai.created_at, ai.updated_at, ai.created_by_id, ai.updated_by_id",
	dest: func(v *shopfloor.ABomInstallation) []any {
		return []any{&v.ID, &v.OrgID, &v.BuildRequirementID, &v.PartInventoryID, &v.Quantity, &v.ReferenceDesignatorID,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// The entity kinds of the legacy aBOM items: a unit's own item (row_id the
// unit) and a build requirement's slot.
const (
	abomRootKind         = "ABomItem"
	buildRequirementKind = "BuildRequirement"
)

// unitsUnder is a WITH RECURSIVE term: the units installed under the units
// of its anchor (the anchor's select of unit_id, tree_key comes first),
// at any depth, each with the tree_key of the anchor unit it is under.
const unitsUnder = " UNION SELECT ai.part_inventory_id, units.tree_key FROM units " +
	"JOIN build_requirements br ON br.part_inventory_id = units.unit_id AND br.deleted_at IS NULL " +
	"JOIN abom_installations ai ON ai.build_requirement_id = br.id AND ai.deleted_at IS NULL"

// BuildRequirement returns one build requirement of the caller's org.
func (s *Store) BuildRequirement(ctx context.Context, id int64) (*shopfloor.BuildRequirement, error) {
	return get(ctx, s, buildRequirements, id)
}

// BuildRequirements lists the caller's build requirements.
func (s *Store) BuildRequirements(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.BuildRequirement], error) {
	return list(ctx, s, buildRequirements, opts)
}

// BuildRequirementsByIDs returns the caller's build requirements among ids.
func (s *Store) BuildRequirementsByIDs(ctx context.Context, ids []int64) ([]shopfloor.BuildRequirement, error) {
	return byIDs(ctx, s, buildRequirements, ids)
}

// BuildRequirementTrees reads the requirements of units and of every unit
// installed under them, in one WITH RECURSIVE statement, keyed by the unit
// each requirement is on.
func (s *Store) BuildRequirementTrees(ctx context.Context, unitIDs []int64) (_ map[int64][]shopfloor.BuildRequirement, err error) {
	defer s.classify(&err)
	out := map[int64][]shopfloor.BuildRequirement{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	in, args := s.dialect.idIn("i.id", unitIDs)
	q := "WITH RECURSIVE units (unit_id, tree_key) AS (SELECT i.id, i.id FROM part_inventories i WHERE i.org_id = ? AND " + in + unitsUnder + ") " +
		"SELECT " + buildRequirements.selectList(ctx) + " FROM (SELECT DISTINCT unit_id FROM units) uu " +
		"JOIN build_requirements br ON br.part_inventory_id = uu.unit_id" + buildRequirements.joins +
		" WHERE br.org_id = ? AND br.deleted_at IS NULL ORDER BY br.id"
	rows, err := s.query(ctx, s.read, q, append(append([]any{p.OrgID}, args...), p.OrgID)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read build requirement trees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := buildRequirements.scanOne(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read build requirement trees: %w", err)
		}
		out[v.PartInventoryID] = append(out[v.PartInventoryID], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read build requirement trees: %w", err)
	}
	return out, nil
}

// CreateBuildRequirement adds a requirement to a unit by hand.
func (s *Store) CreateBuildRequirement(ctx context.Context, f shopfloor.BuildRequirementFields) (*shopfloor.BuildRequirement, error) {
	return mutate(ctx, s, buildRequirements, "CreateABomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, inventories, p, *f.PartInventoryID); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, parts, p, *f.PartID); err != nil {
			return 0, err
		}
		var c changes
		c.set("part_inventory_id", *f.PartInventoryID)
		c.set("part_id", *f.PartID)
		c.set("quantity_per_parent", *f.QuantityPerParent)
		c.set("fixed_quantity", f.FixedQuantity != nil && *f.FixedQuantity)
		c.set("made_on_assembly", f.MadeOnAssembly != nil && *f.MadeOnAssembly)
		id, err := s.insert(ctx, tx, buildRequirements.name, p, c)
		if err != nil {
			return 0, err
		}
		if err := s.registerEntity(ctx, tx, p, buildRequirementKind, id); err != nil {
			return 0, err
		}
		return id, s.registerABomRoots(ctx, tx, p, "SELECT CAST(? AS BIGINT) AS id", *f.PartInventoryID)
	})
}

// registerABomRoots gives the units that units (a SELECT of ids, as column
// id, run with args) names their own legacy aBOM item, once.
func (s *Store) registerABomRoots(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, units string, args ...any) error {
	_, err := s.exec(ctx, tx, "INSERT INTO entities (org_id, kind, row_id) SELECT ?, '"+abomRootKind+"', u.id FROM ("+units+") u "+
		"WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.kind = '"+abomRootKind+"' AND e.row_id = u.id) ORDER BY u.id", append([]any{p.OrgID}, args...)...)
	if err != nil {
		return fmt.Errorf("sqlstore: register aBOM items: %w", err)
	}
	return nil
}

// lockOrganization takes the organization's row lock (PostgreSQL; SQLite
// has one writer): the tree writes of an organization that must see each
// other's commits (a cycle two writes would close together, an mBOM item
// deleted while a snapshot copies it) take it first.
func (s *Store) lockOrganization(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal) error {
	if _, err := s.exec(ctx, tx, "SELECT id FROM organizations WHERE id = ?"+s.dialect.forUpdate, p.OrgID); err != nil {
		return fmt.Errorf("sqlstore: lock organization: %w", err)
	}
	return nil
}

// mbomSnapshotItems is the one SELECT of the mBOM items that build
// requirements are snapshotted from: the items (m) directly under the
// part of each unit (u) of the FROM it follows, in its part's effective
// mBOM version (mv: the released one, or the open one while none is).
const mbomSnapshotItems = " JOIN mbom_items m ON m.parent_id = u.part_id AND m.org_id = u.org_id AND m.deleted_at IS NULL" +
	" JOIN mboms mv ON mv.id = m.mbom_id AND " + effectiveMBom

// snapshotABom snapshots, set-wise, the mBOM of the part of the unit and of
// every unit installed under it as their build requirements: only units
// that have none yet get any, so a snapshot is taken once. Four
// statements whatever the size: the requirements, their webhook events,
// the units' own items and the requirements' entities.
func (s *Store) snapshotABom(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, unitID int64) error {
	if err := s.lockOrganization(ctx, tx, p); err != nil {
		return err
	}
	now := s.Now().UTC()
	units := "WITH RECURSIVE units (unit_id, tree_key) AS (SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)" + unitsUnder + ") "
	bare := "SELECT u.id FROM (SELECT DISTINCT unit_id FROM units) uu JOIN part_inventories u ON u.id = uu.unit_id AND u.org_id = ? AND u.deleted_at IS NULL " +
		"WHERE NOT EXISTS (SELECT 1 FROM build_requirements x WHERE x.part_inventory_id = u.id AND x.deleted_at IS NULL)"
	if _, err := s.exec(ctx, tx, units+"INSERT INTO build_requirements (org_id, part_inventory_id, part_id, quantity_per_parent, made_on_assembly, "+
		"origin_mbom_item_id, etag, created_at, updated_at, created_by_id, updated_by_id) "+
		"SELECT u.org_id, u.id, m.part_id, m.quantity, m.made_on_assembly, m.id, "+s.dialect.randomEtag+", ?, ?, ?, ? "+
		"FROM part_inventories u"+mbomSnapshotItems+" WHERE u.id IN ("+bare+") ORDER BY u.id, m.id",
		unitID, unitID, now, now, p.UserID, p.UserID, p.OrgID); err != nil {
		return fmt.Errorf("sqlstore: snapshot mBOM: %w", err)
	}
	// The new requirements are the organization's without an entity: every
	// other transaction registers its own before it commits.
	fresh := "(SELECT br.id, br.part_inventory_id FROM build_requirements br WHERE br.org_id = ? AND br.deleted_at IS NULL " +
		"AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.kind = '" + buildRequirementKind + "' AND e.row_id = br.id)) fresh"
	if err := s.outboxOf(ctx, tx, p, buildRequirements.name, "CREATE", "SELECT fresh.id FROM "+fresh, p.OrgID); err != nil {
		return err
	}
	if err := s.registerABomRoots(ctx, tx, p, "SELECT DISTINCT fresh.part_inventory_id AS id FROM "+fresh, p.OrgID); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, "INSERT INTO entities (org_id, kind, row_id) SELECT ?, '"+buildRequirementKind+"', fresh.id FROM "+fresh+" ORDER BY fresh.id",
		p.OrgID, p.OrgID); err != nil {
		return fmt.Errorf("sqlstore: register build requirements: %w", err)
	}
	return nil
}

// ABomInstallation returns the installation of a unit on a requirement.
func (s *Store) ABomInstallation(ctx context.Context, buildRequirementID, partInventoryID int64) (*shopfloor.ABomInstallation, error) {
	found, err := where(ctx, s, abomInstallations, "ai.build_requirement_id = ? AND ai.part_inventory_id = ?", buildRequirementID, partInventoryID)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "ABomInstallation of partInventoryId %d on buildRequirementId %d not found.", partInventoryID, buildRequirementID)
	}
	return &found[0], nil
}

// InstallationsByRequirementIDs returns the installations on each
// requirement, in one statement.
func (s *Store) InstallationsByRequirementIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.ABomInstallation, error) {
	return grouped(ctx, s, abomInstallations, "", "ai.build_requirement_id", ids)
}

// CreateABomInstallation installs a unit on a requirement, as
// shopfloor.CheckInstallation allows, and records on the unit how much of
// it is installed (its INSTALLED status).
func (s *Store) CreateABomInstallation(ctx context.Context, f shopfloor.ABomInstallationFields) (*shopfloor.ABomInstallation, error) {
	return mutate(ctx, s, abomInstallations, "CreateABomItem", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return 0, err
		}
		facts, err := s.installFacts(ctx, tx, p, f)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.CheckInstallation(f, facts); err != nil {
			return 0, err
		}
		if err := existsIf(ctx, s, tx, mbomDesignators, p, f.ReferenceDesignatorID); err != nil {
			return 0, err
		}
		var c changes
		c.set("build_requirement_id", f.BuildRequirementID)
		c.set("part_inventory_id", f.PartInventoryID)
		c.set("quantity", f.Quantity)
		setIf(&c, "reference_designator_id", f.ReferenceDesignatorID)
		id, err := s.insert(ctx, tx, abomInstallations.name, p, c)
		if err != nil {
			return 0, err
		}
		return id, s.countInstalled(ctx, tx, p, f.PartInventoryID)
	})
}

// installFacts reads what an installation is decided on.
func (s *Store) installFacts(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f shopfloor.ABomInstallationFields) (shopfloor.InstallFacts, error) {
	facts := shopfloor.InstallFacts{UnitID: f.PartInventoryID}
	req, err := getIn(ctx, s, tx, buildRequirements, p, f.BuildRequirementID)
	if err != nil {
		return facts, err
	}
	facts.RequirementPartID = req.PartID
	var installed float64
	if err := s.queryRow(ctx, tx, "SELECT COALESCE(SUM(quantity), 0) FROM abom_installations WHERE build_requirement_id = ? AND deleted_at IS NULL",
		req.ID).Scan(&installed); err != nil {
		return facts, fmt.Errorf("sqlstore: read installed quantity: %w", err)
	}
	facts.StillNeeded = req.Quantity - installed
	if req.OriginMBomItemID != nil {
		subs, err := whereIn(ctx, s, tx, mbomSubstitutes, p, "ms.mbom_item_id = ?", *req.OriginMBomItemID)
		if err != nil {
			return facts, err
		}
		for _, sub := range subs {
			facts.Substitutes = append(facts.Substitutes, sub.PartID)
		}
	}
	var tracking *string
	var quantity, quantityInstalled float64
	err = s.queryRow(ctx, tx, "SELECT i.part_id, tp.tracking_type, i.quantity, i.quantity_installed, "+
		"(SELECT COUNT(*) FROM abom_installations ai WHERE ai.part_inventory_id = i.id AND ai.deleted_at IS NULL) "+
		"FROM part_inventories i JOIN parts tp ON tp.id = i.part_id WHERE i.id = ? AND i.org_id = ? AND i.deleted_at IS NULL", f.PartInventoryID, p.OrgID).
		Scan(&facts.UnitPartID, &tracking, &quantity, &quantityInstalled, &facts.Installations)
	if errors.Is(err, sql.ErrNoRows) {
		return facts, shopfloor.NotFound(inventories.entity, f.PartInventoryID)
	} else if err != nil {
		return facts, fmt.Errorf("sqlstore: read installed unit: %w", err)
	}
	facts.Serial = tracking != nil && *tracking == "SERIAL"
	facts.NotInstalled = quantity - quantityInstalled
	// The unit it goes into must not be the unit or under it.
	facts.Cycle, err = s.hasAny(ctx, tx, "WITH RECURSIVE units (unit_id, tree_key) AS (SELECT CAST(? AS BIGINT), CAST(0 AS BIGINT)"+unitsUnder+") "+
		"SELECT 1 FROM units WHERE unit_id = ? LIMIT 1", f.PartInventoryID, req.PartInventoryID)
	return facts, err
}

// countInstalled records on a unit how much of it is installed, the fact
// its INSTALLED status derives from, with the unit's UPDATE event; its
// etag stays, as no field of it changes.
func (s *Store) countInstalled(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, unitID int64) error {
	if _, err := s.exec(ctx, tx, "UPDATE part_inventories SET quantity_installed = (SELECT COALESCE(SUM(ai.quantity), 0) FROM abom_installations ai "+
		"WHERE ai.part_inventory_id = part_inventories.id AND ai.deleted_at IS NULL) WHERE id = ? AND org_id = ?", unitID, p.OrgID); err != nil {
		return fmt.Errorf("sqlstore: count installed: %w", err)
	}
	return s.outbox(ctx, tx, p, inventories.name, "UPDATE", unitID)
}

// DeleteABomInstallation uninstalls a unit: what is installed on it stays
// on it, and goes with it.
func (s *Store) DeleteABomInstallation(ctx context.Context, id int64, etag string) error {
	var unitID int64
	return removeThen(ctx, s, abomInstallations, "DeleteABomItem", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		if err := s.lockOrganization(ctx, tx, p); err != nil {
			return err
		}
		inst, err := getIn(ctx, s, tx, abomInstallations, p, id)
		if err == nil {
			unitID = inst.PartInventoryID
		}
		return err
	}, func(tx *sql.Tx, p *shopfloor.Principal) error {
		return s.countInstalled(ctx, tx, p, unitID)
	})
}

// errABomInUse refuses deleting an mBOM item a build requirement
// originates from.
var errABomInUse = shopfloor.Errorf(shopfloor.CodeInvalid, "MBomItem cannot be deleted while build requirements originate from it.")

// mbomItemUnused is deleteMbomItem's guard, in its transaction.
func (s *Store) mbomItemUnused(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, itemID int64) error {
	if err := s.lockOrganization(ctx, tx, p); err != nil {
		return err
	}
	used, err := s.hasAny(ctx, tx, "SELECT 1 FROM build_requirements WHERE origin_mbom_item_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", itemID, p.OrgID)
	if err == nil && used {
		err = errABomInUse
	}
	return err
}

// unitUninstalled is the guard of deleting a unit: it is installed
// nowhere, and nothing is installed on it.
func (s *Store) unitUninstalled(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, unitID int64) error {
	if err := s.lockOrganization(ctx, tx, p); err != nil {
		return err
	}
	used, err := s.hasAny(ctx, tx, "SELECT 1 FROM abom_installations ai WHERE ai.org_id = ? AND ai.deleted_at IS NULL AND (ai.part_inventory_id = ? "+
		"OR ai.build_requirement_id IN (SELECT br.id FROM build_requirements br WHERE br.part_inventory_id = ? AND br.deleted_at IS NULL)) LIMIT 1",
		p.OrgID, unitID, unitID)
	if err == nil && used {
		err = shopfloor.Errorf(shopfloor.CodeInvalid, "PartInventory cannot be deleted while it is installed or units are installed on it.")
	}
	return err
}
