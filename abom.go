package shopfloor

import (
	"context"
	"slices"
	"time"
)

// BuildRequirement is what a unit (PartInventoryID, the one being built)
// needs of a part: QuantityPerParent per unit of it, or in all when
// FixedQuantity. Requirements are snapshotted from the mBOM items of the
// unit's part (OriginMBomItemID) or added one by one.
type BuildRequirement struct {
	ID                int64
	OrgID             int64
	PartInventoryID   int64
	PartID            int64
	QuantityPerParent float64
	// Quantity is what the unit needs in all: QuantityPerParent times the
	// unit's quantity, or QuantityPerParent when FixedQuantity.
	Quantity         float64
	FixedQuantity    bool
	MadeOnAssembly   bool
	OriginMBomItemID *int64
	Etag             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CreatedByID      *int64
	UpdatedByID      *int64
}

// BuildRequirementFields are the writable fields of a build requirement;
// nil means "not given".
type BuildRequirementFields struct {
	PartID            *int64
	PartInventoryID   *int64
	QuantityPerParent *float64
	FixedQuantity     *bool
	MadeOnAssembly    *bool
}

// Validate checks a new build requirement: it names its unit and part, and
// its quantity per unit is greater than 0 (1 when left out).
func (f *BuildRequirementFields) Validate() error {
	c := &check{entity: "BuildRequirement"}
	if f.PartID == nil {
		c.fail("partId", "is required.")
	}
	if f.PartInventoryID == nil {
		c.fail("partInventoryId", "is required.")
	}
	if f.QuantityPerParent == nil {
		f.QuantityPerParent = ptr(1.0)
	}
	c.positive("quantityPerParentPartInventory", f.QuantityPerParent)
	return c.result()
}

// ABomInstallation puts Quantity of a unit (PartInventoryID, the installed
// one) on a build requirement of another unit: one edge of the as-built
// tree. Uninstalling deletes it; what is installed on the unit moves with it.
type ABomInstallation struct {
	ID                    int64
	OrgID                 int64
	BuildRequirementID    int64
	PartInventoryID       int64
	Quantity              float64
	ReferenceDesignatorID *int64
	Etag                  string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	CreatedByID           *int64
	UpdatedByID           *int64
}

// ABomInstallationFields are createAbomInstallation's input.
type ABomInstallationFields struct {
	BuildRequirementID    int64
	PartInventoryID       int64
	Quantity              float64
	ReferenceDesignatorID *int64
}

// InstallFacts are what an installation is decided on, read in its
// transaction under the row locks of the requirement and the unit.
type InstallFacts struct {
	// RequirementPartID is the requirement's part; Substitutes the parts
	// that may replace it (its origin mBOM item's substitutes).
	RequirementPartID int64
	Substitutes       []int64
	// StillNeeded is the requirement's quantity not yet installed.
	StillNeeded float64
	UnitID      int64
	UnitPartID  int64
	Serial      bool
	// NotInstalled is the unit's quantity not yet installed anywhere;
	// Installations counts where it is installed.
	NotInstalled  float64
	Installations int
	// Cycle holds when the requirement's unit is the unit or under it.
	Cycle bool
}

// CheckInstallation applies the installation rules to f.Quantity: the
// installed unit is of the requirement's part (or a substitute), it does
// not contain the unit it goes into, a serial unit installs once, and the
// quantity is greater than 0, at most what the requirement still needs and
// at most what of the unit is not yet installed.
func CheckInstallation(f ABomInstallationFields, facts InstallFacts) error {
	c := &check{entity: "ABomInstallation"}
	q := f.Quantity
	c.positive("quantity", &q)
	switch {
	case c.err != nil:
	case facts.UnitPartID != facts.RequirementPartID && !slices.Contains(facts.Substitutes, facts.UnitPartID):
		c.fail("partInventoryId", "must be a unit of the build requirement's part (%d) or of a substitute of its mBOM item.", facts.RequirementPartID)
	case facts.Cycle:
		c.fail("partInventoryId", "%d would make a cycle: a unit cannot be installed into itself or a unit under it.", facts.UnitID)
	case facts.Serial && facts.Installations > 0:
		c.fail("partInventoryId", "%d is already installed: a serial unit installs once.", facts.UnitID)
	case q > facts.StillNeeded:
		c.fail("quantity", "must be at most %g, what build requirement %d still needs.", facts.StillNeeded, f.BuildRequirementID)
	case q > facts.NotInstalled:
		c.fail("quantity", "must be at most %g, what of unit %d is not installed yet.", facts.NotInstalled, facts.UnitID)
	}
	return c.result()
}

// ABomItem is the legacy aBOM's tree node, read from build requirements
// and installations (no storage of its own): a unit's own item (the root
// of what is built into it, RequirementID nil) or one of its build
// requirements (a slot, filled by the unit PartInventoryID once installed).
// IDs are entity ids, from the one sequence every kind shares, so the two
// kinds never collide.
type ABomItem struct {
	ID    int64
	OrgID int64
	// RequirementID is the build requirement a slot is; nil for a unit's
	// own item.
	RequirementID    *int64
	PartInventoryID  *int64
	Quantity         float64
	OriginMBomItemID *int64
	// ParentID is the item above: a slot's unit's item (the slot that unit
	// is installed on, else its own item); nil at the top.
	ParentID *int64
	Etag     string
}

// CheckABomItemQuantity checks updateAbomItem's quantity: only a slot's
// changes (a unit's own item's is the unit's quantity), to more than 0.
func CheckABomItemQuantity(quantity *float64, slot bool) error {
	c := &check{entity: "ABomItem"}
	if !slot {
		c.fail("quantity", "cannot be changed on a unit's own item: it is the unit's quantity.")
	}
	c.positive("quantity", quantity)
	return c.result()
}

// ABomService manages the as-built BOM of units.
type ABomService interface {
	BuildRequirement(ctx context.Context, id int64) (*BuildRequirement, error)
	BuildRequirements(ctx context.Context, opts ListOptions) (*Page[BuildRequirement], error)
	BuildRequirementsByIDs(ctx context.Context, ids []int64) ([]BuildRequirement, error)
	// BuildRequirementTrees returns, for each unit, its requirements and
	// those of every unit installed under it at any depth, keyed by the
	// unit each is on: one statement whatever the depth.
	BuildRequirementTrees(ctx context.Context, unitIDs []int64) (map[int64][]BuildRequirement, error)
	CreateBuildRequirement(ctx context.Context, f BuildRequirementFields) (*BuildRequirement, error)

	ABomInstallation(ctx context.Context, buildRequirementID, partInventoryID int64) (*ABomInstallation, error)
	InstallationsByRequirementIDs(ctx context.Context, ids []int64) (map[int64][]ABomInstallation, error)
	CreateABomInstallation(ctx context.Context, f ABomInstallationFields) (*ABomInstallation, error)
	// DeleteABomInstallation uninstalls: the unit is no longer installed
	// there, and what is installed on it goes with it.
	DeleteABomInstallation(ctx context.Context, id int64, etag string) error

	// CreateABomForPartInventory snapshots the mBOM of the unit's part,
	// down to the leaves, as build requirements of the unit and of the
	// units under it that have none, and returns the unit's item.
	CreateABomForPartInventory(ctx context.Context, unitID int64, etag string) (*ABomItem, error)
	ABomItem(ctx context.Context, id int64) (*ABomItem, error)
	ABomItems(ctx context.Context, opts ListOptions) (*Page[ABomItem], error)
	ABomItemsByIDs(ctx context.Context, ids []int64) ([]ABomItem, error)
	// ABomSubtrees returns every item under each item, at any depth, in
	// one statement.
	ABomSubtrees(ctx context.Context, ids []int64) (map[int64][]ABomItem, error)
	// ABomItemsByInventoryIDs are the items each unit fills: its own item
	// or the slots it is installed on.
	ABomItemsByInventoryIDs(ctx context.Context, unitIDs []int64) (map[int64][]ABomItem, error)
	// ABomChildrenByInventoryIDs are the slots of each unit's requirements.
	ABomChildrenByInventoryIDs(ctx context.Context, unitIDs []int64) (map[int64][]ABomItem, error)
	UpdateABomItem(ctx context.Context, id int64, etag string, quantity *float64) (*ABomItem, error)
}
