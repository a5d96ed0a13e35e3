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
// through it, and its version 2, with six of the third part, is a draft.
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
	return seedMBomVersions(ctx, s, ids[0], items[1].PartID)
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
