package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedMBom gives the first demo part an mBOM two levels deep: two of the
// second part (which itself holds one of the fourth) and four of the third,
// placed at R1 to R4, with the fourth part as its substitute.
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
	return nil
}
