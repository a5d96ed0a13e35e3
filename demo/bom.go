package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedMBom gives the first demo part an mBOM two levels deep: two of the
// second part (which itself holds one of the fourth) and four of the third,
// placed at R1 to R4, with the fourth part as its substitute. Releasing an
// mBOM needs one Admin's approval: the first part's version 1 is released
// through it, and its version 2, with six of the third part, is a draft. A
// unit of the first part is built as the released mBOM says (seedABom).
func seedMBom(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	var ids []int64
	for i := range 4 {
		page, err := s.Parts(ctx, shopfloor.ListOptions{Filters: map[string]any{"partNumber": map[string]any{"eq": fmt.Sprintf("%s-%04d", spec.prefix, 1000+i)}}})
		if err != nil || len(page.Items) == 0 {
			return err
		}
		ids = append(ids, page.Items[0].ID)
	}
	lines := []struct {
		parent, part int
		qty          float64
	}{{0, 1, 2}, {0, 2, 4}, {1, 3, 1}}
	var items []*shopfloor.MBomItem
	for _, l := range lines {
		item, err := s.CreateMBomItem(ctx, shopfloor.MBomItemFields{ParentID: &ids[l.parent], PartID: &ids[l.part], Quantity: ptr(l.qty)})
		if err != nil {
			return err
		}
		items = append(items, item)
	}
	if _, err := s.CreateMBomSubstitute(ctx, items[1].ID, ids[3]); err != nil {
		return err
	}
	for i := 1; i <= 4; i++ {
		if _, err := s.CreateMBomReferenceDesignator(ctx, items[1].ID, fmt.Sprintf("R%d", i)); err != nil {
			return err
		}
	}
	if err := seedMBomVersions(ctx, s, ids[0], items[1].PartID); err != nil {
		return err
	}
	return seedABom(ctx, s, spec, ids)
}

// seedABom builds a unit of the first part as its mBOM says, three levels
// deep: its requirements snapshotted from the mBOM, a lot of two of the
// second part installed (itself holding two serial units of the fourth)
// and four of the third.
func seedABom(ctx context.Context, s *sqlstore.Store, spec orgSpec, parts []int64) error {
	unit := func(part int, f shopfloor.PartInventoryFields) (*shopfloor.PartInventory, error) {
		f.PartID = &parts[part]
		return s.CreatePartInventory(ctx, f)
	}
	// build makes u's requirements and installs each of what on the
	// requirement of its part.
	build := func(u *shopfloor.PartInventory, what ...*shopfloor.PartInventory) error {
		if _, err := s.CreateABomForPartInventory(ctx, u.ID, u.Etag); err != nil {
			return err
		}
		reqs, err := s.BuildRequirementTrees(ctx, []int64{u.ID})
		if err != nil {
			return err
		}
		for _, w := range what {
			for _, r := range reqs[u.ID] {
				if r.PartID == w.PartID {
					if _, err := s.CreateABomInstallation(ctx, shopfloor.ABomInstallationFields{BuildRequirementID: r.ID, PartInventoryID: w.ID, Quantity: w.Quantity}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	top, err := unit(0, shopfloor.PartInventoryFields{SerialNumber: ptr("SN-" + spec.prefix + "-ASM-1")})
	if err != nil {
		return err
	}
	lot, err := unit(1, shopfloor.PartInventoryFields{LotNumber: ptr("LOT-ASM-1"), Quantity: ptr(2.0)})
	if err != nil {
		return err
	}
	var boards []*shopfloor.PartInventory
	for i := 1; i <= 2; i++ {
		b, err := unit(3, shopfloor.PartInventoryFields{SerialNumber: ptr(fmt.Sprintf("SN-%s-ASM-BOARD-%d", spec.prefix, i))})
		if err != nil {
			return err
		}
		boards = append(boards, b)
	}
	harness, err := unit(2, shopfloor.PartInventoryFields{Quantity: ptr(4.0)})
	if err != nil {
		return err
	}
	if err := build(lot, boards...); err != nil {
		return err
	}
	return build(top, lot, harness)
}

// seedMBomVersions requires an Admin's approval of mBOM releases, releases
// the assembly's first version through it, and drafts its second with
// more of part.
func seedMBomVersions(ctx context.Context, s *sqlstore.Store, assembly, part int64) error {
	admins, err := s.Roles(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": shopfloor.RoleAdmin}}})
	if err != nil || len(admins.Items) != 1 {
		return err
	}
	if _, err := s.CreateApprovalRole(ctx, shopfloor.GateMBomRelease, shopfloor.ApprovalRoleFields{RoleID: admins.Items[0].ID, Count: 1}); err != nil {
		return err
	}
	versions, err := s.MBoms(ctx, shopfloor.ListOptions{Filters: map[string]any{"partId": map[string]any{"eq": assembly}}})
	if err != nil || len(versions.Items) != 1 {
		return err
	}
	v1, err := s.UpdateMBom(ctx, versions.Items[0].ID, versions.Items[0].Etag, shopfloor.MBomInReview)
	if err != nil {
		return err
	}
	if _, err := s.CreateMBomReview(ctx, v1.ID, ptr("Matches the released drawing.")); err != nil {
		return err
	}
	if _, err := s.UpdateMBom(ctx, v1.ID, v1.Etag, shopfloor.MBomReleased); err != nil {
		return err
	}
	v2, err := s.CreateMBom(ctx, assembly)
	if err != nil {
		return err
	}
	drafted, err := s.MBomItems(ctx, shopfloor.ListOptions{Filters: map[string]any{"mbomId": map[string]any{"eq": v2.ID}, "partId": map[string]any{"eq": part}}})
	if err != nil || len(drafted.Items) != 1 {
		return err
	}
	_, err = s.UpdateMBomItem(ctx, drafted.Items[0].ID, drafted.Items[0].Etag, shopfloor.MBomItemFields{Quantity: ptr(6.0)})
	return err
}
