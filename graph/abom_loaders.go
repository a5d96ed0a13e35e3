package graph

import (
	"context"
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// abomLoaders are the batchers of the as-built BOM. A unit's requirements
// are read with those of every unit under it, at any depth, in one
// statement that primes every level; whatever requirements load, their
// installations, parts and mBOM items then load as one batch each, and the
// installed units as one batch of inventory. The legacy items' subtrees
// load the same way.
type abomLoaders struct {
	requirement        *batcher[*shopfloor.BuildRequirement]
	requirementsByUnit *batcher[[]shopfloor.BuildRequirement] // whole subtrees
	installationsByReq *batcher[[]shopfloor.ABomInstallation]
	abomItem           *batcher[*shopfloor.ABomItem]
	abomChildren       *batcher[[]shopfloor.ABomItem] // by item: whole subtrees
	abomItemsByUnit    *batcher[[]shopfloor.ABomItem]
	abomChildrenByUnit *batcher[[]shopfloor.ABomItem]
}

func newABomLoaders(s shopfloor.Store, l *loaders) abomLoaders {
	a := abomLoaders{
		requirement:        newBatcher(byID(s.BuildRequirementsByIDs, func(v *shopfloor.BuildRequirement) int64 { return v.ID })),
		requirementsByUnit: newBatcher(s.BuildRequirementTrees),
		installationsByReq: newBatcher(s.InstallationsByRequirementIDs),
		abomItem:           newBatcher(byID(s.ABomItemsByIDs, func(v *shopfloor.ABomItem) int64 { return v.ID })),
		abomItemsByUnit:    newBatcher(s.ABomItemsByInventoryIDs),
		abomChildrenByUnit: newBatcher(s.ABomChildrenByInventoryIDs),
	}
	a.abomChildren = newBatcher(func(ctx context.Context, keys []int64) (map[int64][]shopfloor.ABomItem, error) {
		trees, err := s.ABomSubtrees(ctx, keys)
		if err != nil {
			return nil, err
		}
		var all []shopfloor.ABomItem // once each: a subtree may hold another
		seen := map[int64]bool{}
		for _, k := range keys {
			for _, it := range trees[k] {
				if !seen[it.ID] {
					seen[it.ID] = true
					all = append(all, it)
				}
			}
		}
		children := map[int64][]shopfloor.ABomItem{}
		for _, it := range all {
			children[it.ID] = []shopfloor.ABomItem{} // a leaf has none
		}
		for _, k := range keys {
			children[k] = []shopfloor.ABomItem{}
		}
		for _, it := range all {
			if it.ParentID != nil {
				if _, in := children[*it.ParentID]; in {
					children[*it.ParentID] = append(children[*it.ParentID], it)
				}
			}
		}
		l.abomItemsLoaded(all)
		a.abomChildren.prime(children)
		return children, nil
	})
	a.requirement.fetched = func(m map[int64]*shopfloor.BuildRequirement) {
		l.requirementsLoaded(derefs(slices.Collect(maps.Values(m))))
	}
	a.requirementsByUnit.fetched = func(m map[int64][]shopfloor.BuildRequirement) {
		a.requirementsByUnit.prime(m) // the units under the ones asked for
		l.requirementsLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	a.installationsByReq.fetched = func(m map[int64][]shopfloor.ABomInstallation) {
		units := collect(m, func(v *shopfloor.ABomInstallation) []int64 { return []int64{v.PartInventoryID} })
		l.inventory.register(units)
		a.requirementsByUnit.register(units) // the leaves the subtree reads found none under
	}
	for _, b := range []*batcher[[]shopfloor.ABomItem]{a.abomItemsByUnit, a.abomChildrenByUnit} {
		b.fetched = func(m map[int64][]shopfloor.ABomItem) {
			l.abomItemsLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
		}
	}
	a.abomItem.fetched = func(m map[int64]*shopfloor.ABomItem) { l.abomItemsLoaded(derefs(slices.Collect(maps.Values(m)))) }
	return a
}

// requirementsLoaded makes the installations, parts and mBOM items of these
// requirements one batch each.
func (l *loaders) requirementsLoaded(items []shopfloor.BuildRequirement) {
	l.installationsByReq.register(ids(items, func(v *shopfloor.BuildRequirement) int64 { return v.ID }))
	l.part.register(ids(items, func(v *shopfloor.BuildRequirement) int64 { return v.PartID }))
	var origins []int64
	for _, it := range items {
		origins = append(origins, idIf(it.OriginMBomItemID)...)
	}
	l.mbomItem.register(origins)
}

// abomItemsLoaded makes the units, mBOM items, parents and children of
// these legacy items one batch each.
func (l *loaders) abomItemsLoaded(items []shopfloor.ABomItem) {
	var units, origins, parents []int64
	for _, it := range items {
		units = append(units, idIf(it.PartInventoryID)...)
		origins = append(origins, idIf(it.OriginMBomItemID)...)
		parents = append(parents, idIf(it.ParentID)...)
	}
	l.inventory.register(units)
	l.mbomItem.register(origins)
	l.abomItem.register(parents)
	l.abomChildren.register(ids(items, func(v *shopfloor.ABomItem) int64 { return v.ID }))
}

func abomItemPayload(v *shopfloor.ABomItem, err error) (*model.ABomItemPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.ABomItemPayload{AbomItem: v}, nil
}
