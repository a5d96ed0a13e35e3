package shopfloor

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MBomItem puts a quantity of a part into an assembly, its parent part: one
// line of the parent's manufacturing BOM. A part is under a parent once, and
// no part contains itself at any depth.
type MBomItem struct {
	ID             int64
	OrgID          int64
	MBomID         int64 // the version of the parent's mBOM holding it
	ParentID       int64 // the assembly
	PartID         int64 // what goes into it
	Quantity       float64
	MadeOnAssembly bool
	Etag           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedByID    *int64
	UpdatedByID    *int64
}

// MBomItemFields are the writable fields of an mBOM item; nil means "not
// given".
type MBomItemFields struct {
	ParentID       *int64
	PartID         *int64
	Quantity       *float64
	MadeOnAssembly *bool
}

// Validate checks mBOM item fields: a new item names its parent and part,
// and a quantity is greater than 0 (1 when a new item leaves it out).
func (f *MBomItemFields) Validate(create bool) error {
	c := &check{entity: "MBomItem"}
	if create {
		if f.ParentID == nil {
			c.fail("parentId", "is required.")
		}
		if f.PartID == nil {
			c.fail("partId", "is required.")
		}
		if f.Quantity == nil {
			f.Quantity = ptr(1.0)
		}
	}
	c.positive("quantity", f.Quantity)
	return c.result()
}

// MBomCycle is the 422 of an mBOM item that would make a part contain
// itself: path is the part numbers from the item's part down to its parent,
// joined by " > " (empty when the part would go into itself).
func MBomCycle(parent, path string) error {
	if path == "" {
		return Errorf(CodeInvalid, "MBomItem partId would make a cycle: part %s cannot contain itself.", parent)
	}
	return Errorf(CodeInvalid, "MBomItem partId would make a cycle: %s > %s.", parent, path)
}

// MBomItemNotUnique is the 422 of a part put twice under one parent (ION's
// importers look for "not unique").
func MBomItemNotUnique(parentID, partID int64) error {
	return Errorf(CodeInvalid, "MBomItem partId %d is not unique under parent %d.", partID, parentID)
}

// MBomSubstitute is a part that may replace an mBOM item's part.
type MBomSubstitute struct {
	ID          int64
	OrgID       int64
	MBomItemID  int64
	PartID      int64
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// MBomReferenceDesignator says where an mBOM item goes on its assembly
// (R1, C12).
type MBomReferenceDesignator struct {
	ID          int64
	OrgID       int64
	MBomItemID  int64
	Value       string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// MaxReferenceDesignator is the longest reference designator.
const MaxReferenceDesignator = 64

// ValidateReferenceDesignator trims value and checks it is given and short.
func ValidateReferenceDesignator(value *string) error {
	c := &check{entity: "MBomItemReferenceDesignator"}
	c.text("value", value, true, MaxReferenceDesignator)
	return c.result()
}

// MBomRow is one row of a bulk mBOM import: a part (by number and
// revision) at a depth (0 is the top assembly; a row of depth d goes into
// the nearest row above it of depth d-1) or at a level ("1.2.1": its
// parent's level with one more number; "1" is the top).
type MBomRow struct {
	Depth          *int
	Level          *string
	PartNumber     string
	Revision       *string
	Quantity       *float64
	Substitutes    *string // part numbers, comma-separated
	MadeOnAssembly *bool
}

// MBomImportError is the error of one row of a bulk import, by its
// position (1 for the first row).
type MBomImportError struct {
	RowID    int
	ErrorMsg string
}

// MBomImport is what a bulk import did: the mBOM items it created or
// updated, and each refused row's error.
type MBomImport struct {
	ErrorMessages []MBomImportError
	NewMBomRowIDs []int64
}

// The notations of a bulk mBOM import.
const (
	MBomImportDepth = "DEPTH"
	MBomImportLevel = "LEVEL"
)

// MBomParents resolves the parent row of each row of a bulk import in
// notation (MBomImportDepth or MBomImportLevel): parents[i] is the index of
// row i's parent, -1 for a top row; a row whose place cannot be read gets
// -1 and its error in errs (by index). A row's parent may itself be a
// refused row; the caller reports that.
func MBomParents(notation string, rows []MBomRow) (parents []int, errs map[int]string) {
	parents = make([]int, len(rows))
	errs = map[int]string{}
	last := map[string]int{} // depth or level → index of the latest row there
	for i, r := range rows {
		parents[i] = -1
		var noun, key, up string
		switch notation {
		case MBomImportDepth:
			noun = "depth"
			if r.Depth == nil || *r.Depth < 0 {
				errs[i] = "depth must be 0 or greater."
				continue
			}
			key, up = fmt.Sprint(*r.Depth), fmt.Sprint(*r.Depth-1)
		default:
			noun = "level"
			level := ""
			if r.Level != nil {
				level = strings.TrimSpace(*r.Level)
			}
			if !validLevel(level) {
				errs[i] = "level must be dot-separated numbers such as 1.2.1."
				continue
			}
			key = level
			if dot := strings.LastIndexByte(level, '.'); dot >= 0 {
				up = level[:dot]
			}
		}
		last[key] = i
		if up == "" || up == "-1" {
			continue
		}
		p, ok := last[up]
		if !ok {
			errs[i] = fmt.Sprintf("%s %s has no parent row of %s %s above it.", noun, key, noun, up)
			continue
		}
		parents[i] = p
	}
	return parents, errs
}

func validLevel(level string) bool {
	if level == "" {
		return false
	}
	for part := range strings.SplitSeq(level, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

// MBomService manages manufacturing BOMs.
type MBomService interface {
	MBomItem(ctx context.Context, id int64) (*MBomItem, error)
	MBomItems(ctx context.Context, opts ListOptions) (*Page[MBomItem], error)
	MBomItemsByIDs(ctx context.Context, ids []int64) ([]MBomItem, error)
	// MBomItemsByParentIDs are the mBOM of each part: the items directly
	// under it.
	MBomItemsByParentIDs(ctx context.Context, partIDs []int64) (map[int64][]MBomItem, error)
	CreateMBomItem(ctx context.Context, f MBomItemFields) (*MBomItem, error)
	UpdateMBomItem(ctx context.Context, id int64, etag string, f MBomItemFields) (*MBomItem, error)
	DeleteMBomItem(ctx context.Context, id int64, etag string) error
	// CreateOrUpdateMBoms imports rows in notation, each row in a
	// transaction of its own: a refused row is reported and the others go on.
	CreateOrUpdateMBoms(ctx context.Context, notation string, rows []MBomRow) (*MBomImport, error)

	MBomSubstitutes(ctx context.Context, opts ListOptions) (*Page[MBomSubstitute], error)
	SubstitutesByMBomItemIDs(ctx context.Context, ids []int64) (map[int64][]MBomSubstitute, error)
	CreateMBomSubstitute(ctx context.Context, mbomItemID, partID int64) (*MBomSubstitute, error)
	DeleteMBomSubstitute(ctx context.Context, id int64, etag string) error

	ReferenceDesignatorsByMBomItemIDs(ctx context.Context, ids []int64) (map[int64][]MBomReferenceDesignator, error)
	CreateMBomReferenceDesignator(ctx context.Context, mbomItemID int64, value string) (*MBomReferenceDesignator, error)

	MBomVersionService
}
