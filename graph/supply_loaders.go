package graph

import (
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// supplyLoaders are the batchers of suppliers' contacts and of kits: a
// kit's items, and the inventory issued to them, load as one batch per
// level.
type supplyLoaders struct {
	contactsBySupplier   *batcher[[]shopfloor.Contact]
	itemsByKit           *batcher[[]shopfloor.PartKitItem]
	inventoriesByKitItem *batcher[[]shopfloor.PartInventory]
}

func newSupplyLoaders(s shopfloor.Store, l *loaders) supplyLoaders {
	k := supplyLoaders{
		contactsBySupplier:   newBatcher(s.ContactsBySupplierIDs),
		itemsByKit:           newBatcher(s.PartKitItemsByKitIDs),
		inventoriesByKitItem: newBatcher(s.InventoriesByKitItemIDs),
	}
	k.itemsByKit.fetched = func(m map[int64][]shopfloor.PartKitItem) {
		all := slices.Concat(slices.Collect(maps.Values(m))...)
		k.inventoriesByKitItem.register(ids(all, func(v *shopfloor.PartKitItem) int64 { return v.ID }))
		l.part.register(ids(all, func(v *shopfloor.PartKitItem) int64 { return v.PartID }))
	}
	k.inventoriesByKitItem.fetched = func(m map[int64][]shopfloor.PartInventory) {
		l.inventoriesLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	l.supplier.fetched = func(m map[int64]*shopfloor.Supplier) {
		l.suppliersLoaded(derefs(slices.Collect(maps.Values(m))))
	}
	return k
}

// suppliersLoaded makes the contacts of these suppliers one batch.
func (l *loaders) suppliersLoaded(items []shopfloor.Supplier) {
	l.contactsBySupplier.register(ids(items, func(v *shopfloor.Supplier) int64 { return v.ID }))
}

// partKitsLoaded makes the items and locations of these kits one batch each.
func (l *loaders) partKitsLoaded(items []shopfloor.PartKit) {
	l.itemsByKit.register(ids(items, func(v *shopfloor.PartKit) int64 { return v.ID }))
	var locs []int64
	for _, v := range items {
		locs = append(locs, idIf(v.StagingLocationID)...)
		locs = append(locs, idIf(v.DeliveryLocationID)...)
	}
	l.location.register(locs)
}
