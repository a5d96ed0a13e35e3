package graph

import (
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// bomLoaders are the batchers of mBOMs: whatever mBOM items load, their
// parts, substitutes and reference designators then load as one batch each.
type bomLoaders struct {
	mbomItem              *batcher[*shopfloor.MBomItem]
	mbomByPart            *batcher[[]shopfloor.MBomItem]
	substitutesByMBomItem *batcher[[]shopfloor.MBomSubstitute]
	designatorsByMBomItem *batcher[[]shopfloor.MBomReferenceDesignator]
	mbom                  *batcher[*shopfloor.MBom]
	mbomItemsByMBom       *batcher[[]shopfloor.MBomItem]
	reviewsByMBom         *batcher[[]shopfloor.MBomReview]
}

func newBOMLoaders(s shopfloor.Store, l *loaders) bomLoaders {
	b := bomLoaders{
		mbomItem:              newBatcher(byID(s.MBomItemsByIDs, func(v *shopfloor.MBomItem) int64 { return v.ID })),
		mbomByPart:            newBatcher(s.MBomItemsByParentIDs),
		substitutesByMBomItem: newBatcher(s.SubstitutesByMBomItemIDs),
		designatorsByMBomItem: newBatcher(s.ReferenceDesignatorsByMBomItemIDs),
		mbom:                  newBatcher(byID(s.MBomsByIDs, func(v *shopfloor.MBom) int64 { return v.ID })),
		mbomItemsByMBom:       newBatcher(s.MBomItemsByMBomIDs),
		reviewsByMBom:         newBatcher(s.MBomReviewsByMBomIDs),
	}
	b.mbom.fetched = func(m map[int64]*shopfloor.MBom) { l.mbomsLoaded(derefs(slices.Collect(maps.Values(m)))) }
	b.mbomItemsByMBom.fetched = func(m map[int64][]shopfloor.MBomItem) {
		l.mbomItemsLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	b.mbomItem.fetched = func(m map[int64]*shopfloor.MBomItem) { l.mbomItemsLoaded(derefs(slices.Collect(maps.Values(m)))) }
	b.mbomByPart.fetched = func(m map[int64][]shopfloor.MBomItem) {
		l.mbomItemsLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	b.substitutesByMBomItem.fetched = func(m map[int64][]shopfloor.MBomSubstitute) {
		var parts []int64
		for _, subs := range m {
			parts = append(parts, ids(subs, func(v *shopfloor.MBomSubstitute) int64 { return v.PartID })...)
		}
		l.part.register(parts)
	}
	return b
}

// mbomItemsLoaded makes the parts, parents, substitutes and reference
// designators of these mBOM items one batch each.
func (l *loaders) mbomItemsLoaded(items []shopfloor.MBomItem) {
	itemIDs := ids(items, func(v *shopfloor.MBomItem) int64 { return v.ID })
	l.substitutesByMBomItem.register(itemIDs)
	l.designatorsByMBomItem.register(itemIDs)
	l.mbom.register(ids(items, func(v *shopfloor.MBomItem) int64 { return v.MBomID }))
	l.part.register(append(ids(items, func(v *shopfloor.MBomItem) int64 { return v.PartID }),
		ids(items, func(v *shopfloor.MBomItem) int64 { return v.ParentID })...))
}

// mbomsLoaded makes the parts, items and reviews of these mBOM versions
// one batch each.
func (l *loaders) mbomsLoaded(versions []shopfloor.MBom) {
	versionIDs := ids(versions, func(v *shopfloor.MBom) int64 { return v.ID })
	l.mbomItemsByMBom.register(versionIDs)
	l.reviewsByMBom.register(versionIDs)
	l.part.register(ids(versions, func(v *shopfloor.MBom) int64 { return v.PartID }))
}

// gateOnly is filters narrowed to the approval roles of one gate: the
// procedure's and the mBOM's share a table.
func gateOnly(filters map[string]any, gate string) map[string]any {
	scoped := maps.Clone(filters)
	if scoped == nil {
		scoped = map[string]any{}
	}
	scoped["gate"] = map[string]any{"eq": gate}
	return scoped
}

func mbomPayload(v *shopfloor.MBom, err error) (*model.MBomPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.MBomPayload{Mbom: v}, nil
}

func mbomItemPayload(v *shopfloor.MBomItem, err error) (*model.MBomItemPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.MBomItemPayload{MbomItem: v}, nil
}
