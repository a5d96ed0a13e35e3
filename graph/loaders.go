package graph

import (
	"context"
	"maps"
	"slices"

	"github.com/shopfloor-dev/shopfloor"
)

// loaders are the batchers of one request. They live in its context, so
// batches never cross requests (nor principals).
type loaders struct {
	part              *batcher[*shopfloor.Part]
	location          *batcher[*shopfloor.Location]
	unit              *batcher[*shopfloor.UnitOfMeasurement]
	inventoriesByPart *batcher[[]shopfloor.PartInventory]
	subtypesByPart    *batcher[[]shopfloor.PartSubtype]
	groupsByRole      *batcher[[]shopfloor.PermissionGroup]
	usersByRole       *batcher[[]shopfloor.User]
	rolesByTeam       *batcher[[]shopfloor.Role]
	usersByTeam       *batcher[[]shopfloor.User]
	inventory         *batcher[*shopfloor.PartInventory]
	attributesByIssue *batcher[[]shopfloor.IssueAttribute]
	supplier          *batcher[*shopfloor.Supplier]
	purchaseOrder     *batcher[*shopfloor.PurchaseOrder]
	line              *batcher[*shopfloor.PurchaseOrderLine]
	linesByOrder      *batcher[[]shopfloor.PurchaseOrderLine]
	inventoriesByLine *batcher[[]shopfloor.PartInventory]
	feesByOrder       *batcher[[]shopfloor.PurchaseOrderFee]
	approvalsByOrder  *batcher[[]shopfloor.PurchaseOrderApproval]
	requestsByOrder   *batcher[[]shopfloor.PurchaseOrderApprovalRequest]
	itemsByReceipt    *batcher[[]shopfloor.ReceiptItem]
	procedureLoaders
	runLoaders
	bomLoaders
	abomLoaders
	supplyLoaders
	filesByEntity *batcher[[]shopfloor.FileAttachment]
	// subscriptionsByReceiver is webhook receivers' subscriptions.
	subscriptionsByReceiver *batcher[[]shopfloor.WebhookSubscription]
}

func newLoaders(s shopfloor.Store) *loaders {
	l := &loaders{
		part:              newBatcher(byID(s.PartsByIDs, func(p *shopfloor.Part) int64 { return p.ID })),
		location:          newBatcher(byID(s.LocationsByIDs, func(l *shopfloor.Location) int64 { return l.ID })),
		unit:              newBatcher(byID(s.UnitsOfMeasurementByIDs, func(u *shopfloor.UnitOfMeasurement) int64 { return u.ID })),
		inventoriesByPart: newBatcher(s.InventoriesByPartIDs),
		subtypesByPart:    newBatcher(s.SubtypesByPartIDs),
		groupsByRole:      newBatcher(s.PermissionGroupsByRoleIDs),
		usersByRole:       newBatcher(s.UsersByRoleIDs),
		rolesByTeam:       newBatcher(s.RolesByTeamIDs),
		usersByTeam:       newBatcher(s.UsersByTeamIDs),
		inventory:         newBatcher(byID(s.PartInventoriesByIDs, func(i *shopfloor.PartInventory) int64 { return i.ID })),
		attributesByIssue: newBatcher(s.AttributesByIssueIDs),
		supplier:          newBatcher(byID(s.SuppliersByIDs, func(v *shopfloor.Supplier) int64 { return v.ID })),
		purchaseOrder:     newBatcher(byID(s.PurchaseOrdersByIDs, func(v *shopfloor.PurchaseOrder) int64 { return v.ID })),
		line:              newBatcher(byID(s.PurchaseOrderLinesByIDs, func(v *shopfloor.PurchaseOrderLine) int64 { return v.ID })),
		linesByOrder:      newBatcher(s.LinesByPurchaseOrderIDs),
		inventoriesByLine: newBatcher(s.InventoriesByLineIDs),
		feesByOrder:       newBatcher(s.FeesByPurchaseOrderIDs),
		approvalsByOrder:  newBatcher(s.ApprovalsByPurchaseOrderIDs),
		requestsByOrder:   newBatcher(s.ApprovalRequestsByPurchaseOrderIDs),
		itemsByReceipt:    newBatcher(s.ItemsByReceiptIDs),
		filesByEntity:     newBatcher(s.FileAttachmentsByEntityIDs),

		subscriptionsByReceiver: newBatcher(s.SubscriptionsByReceiverIDs),
	}
	l.procedureLoaders = newProcedureLoaders(s, l)
	l.runLoaders = newRunLoaders(s, l)
	l.bomLoaders = newBOMLoaders(s, l)
	l.abomLoaders = newABomLoaders(s, l)
	l.supplyLoaders = newSupplyLoaders(s, l)
	// Whatever one batch loads, the next level down loads as one batch too.
	l.part.fetched = func(m map[int64]*shopfloor.Part) { l.partsLoaded(slices.Collect(maps.Values(m))) }
	l.location.fetched = func(m map[int64]*shopfloor.Location) { l.locationsLoaded(slices.Collect(maps.Values(m))) }
	l.inventoriesByPart.fetched = func(m map[int64][]shopfloor.PartInventory) {
		l.inventoriesLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	l.inventory.fetched = func(m map[int64]*shopfloor.PartInventory) {
		l.inventoriesLoaded(derefs(slices.Collect(maps.Values(m))))
	}
	l.inventoriesByLine.fetched = func(m map[int64][]shopfloor.PartInventory) {
		l.inventoriesLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	l.purchaseOrder.fetched = func(m map[int64]*shopfloor.PurchaseOrder) {
		l.purchaseOrdersLoaded(derefs(slices.Collect(maps.Values(m))))
	}
	l.line.fetched = func(m map[int64]*shopfloor.PurchaseOrderLine) { l.linesLoaded(derefs(slices.Collect(maps.Values(m)))) }
	l.linesByOrder.fetched = func(m map[int64][]shopfloor.PurchaseOrderLine) {
		l.linesLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	l.itemsByReceipt.fetched = func(m map[int64][]shopfloor.ReceiptItem) {
		l.receiptItemsLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	return l
}

// derefs copies the values of pointers.
func derefs[T any](ptrs []*T) []T {
	out := make([]T, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out
}

type loadersKey struct{}

// withLoaders gives a request its batchers, which take what its reads
// preload.
func withLoaders(ctx context.Context, s shopfloor.Store) context.Context {
	l := newLoaders(s)
	return shopfloor.WithPreloads(context.WithValue(ctx, loadersKey{}, l), l)
}

// Locations answers the loads of preloaded locations, and makes their
// relations one batch each.
func (l *loaders) Locations(m map[int64]*shopfloor.Location) {
	l.location.prime(m)
	var found []*shopfloor.Location
	for _, loc := range m {
		if loc != nil {
			found = append(found, loc)
		}
	}
	l.locationsLoaded(found)
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

// partsLoaded makes the relations of these parts one batch each.
func (l *loaders) partsLoaded(items []*shopfloor.Part) {
	ids := make([]int64, len(items))
	entities := make([]int64, len(items))
	for i, p := range items {
		ids[i], entities[i] = p.ID, p.EntityID
	}
	l.inventoriesByPart.register(ids)
	l.subtypesByPart.register(ids)
	l.mbomByPart.register(ids)
	l.runsByPart.register(ids)
	l.filesByEntity.register(entities)
	l.labelsByEntity.register(entities)
}

// inventoriesLoaded makes the parts, the locations, the units, the runs,
// the build requirements, the legacy aBOM items and the parents of this
// inventory one batch each.
func (l *loaders) inventoriesLoaded(items []shopfloor.PartInventory) {
	var inventory, parts, locs, units, parents []int64
	for _, it := range items {
		inventory = append(inventory, it.ID)
		parents = append(parents, idIf(it.ParentPartInventoryID)...)
		parts = append(parts, it.PartID)
		if it.LocationID != nil {
			locs = append(locs, *it.LocationID)
		}
		if it.UnitOfMeasureID != nil {
			units = append(units, *it.UnitOfMeasureID)
		}
	}
	l.part.register(parts)
	l.location.register(locs)
	l.unit.register(units)
	l.runsByInventory.register(inventory)
	l.requirementsByUnit.register(inventory)
	l.abomItemsByUnit.register(inventory)
	l.abomChildrenByUnit.register(inventory)
	l.inventory.register(parents)
}

// locationsLoaded makes the parents and the labels of these locations one
// batch each.
func (l *loaders) locationsLoaded(items []*shopfloor.Location) {
	var parents, entities []int64
	for _, loc := range items {
		entities = append(entities, loc.EntityID)
		if loc.ParentID != nil {
			parents = append(parents, *loc.ParentID)
		}
	}
	l.location.register(parents)
	l.labelsByEntity.register(entities)
}

// rolesLoaded makes the relations of these roles one batch each.
func (l *loaders) rolesLoaded(ids []int64) {
	l.groupsByRole.register(ids)
	l.usersByRole.register(ids)
}

// teamsLoaded makes the relations of these teams one batch each.
func (l *loaders) teamsLoaded(ids []int64) {
	l.rolesByTeam.register(ids)
	l.usersByTeam.register(ids)
}

// issuesLoaded makes the attributes, labels, parts, inventory, runs and
// run steps of these issues one batch each.
func (l *loaders) issuesLoaded(items []shopfloor.Issue) {
	var issues, entities, parts, inventory, runs, runSteps []int64
	for _, it := range items {
		issues = append(issues, it.ID)
		entities = append(entities, it.EntityID)
		if it.PartID != nil {
			parts = append(parts, *it.PartID)
		}
		if it.PartInventoryID != nil {
			inventory = append(inventory, *it.PartInventoryID)
		}
		runs = append(runs, idIf(it.RunID)...)
		runSteps = append(runSteps, idIf(it.RunStepID)...)
	}
	l.attributesByIssue.register(issues)
	l.labelsByEntity.register(entities)
	l.part.register(parts)
	l.inventory.register(inventory)
	l.run.register(runs)
	l.runStep.register(runSteps)
}

// purchaseOrdersLoaded makes the relations of these orders one batch each.
func (l *loaders) purchaseOrdersLoaded(items []shopfloor.PurchaseOrder) {
	ids := ids(items, func(po *shopfloor.PurchaseOrder) int64 { return po.ID })
	l.linesByOrder.register(ids)
	l.feesByOrder.register(ids)
	l.approvalsByOrder.register(ids)
	l.requestsByOrder.register(ids)
	var suppliers []int64
	for _, po := range items {
		if po.SupplierID != nil {
			suppliers = append(suppliers, *po.SupplierID)
		}
	}
	l.supplier.register(suppliers)
}

// linesLoaded makes the orders, parts and inventory of these lines one
// batch each.
func (l *loaders) linesLoaded(items []shopfloor.PurchaseOrderLine) {
	l.inventoriesByLine.register(ids(items, func(pl *shopfloor.PurchaseOrderLine) int64 { return pl.ID }))
	l.part.register(ids(items, func(pl *shopfloor.PurchaseOrderLine) int64 { return pl.PartID }))
	l.purchaseOrder.register(ids(items, func(pl *shopfloor.PurchaseOrderLine) int64 { return pl.PurchaseOrderID }))
}

// receiptItemsLoaded makes the lines and inventory of these items one batch
// each.
func (l *loaders) receiptItemsLoaded(items []shopfloor.ReceiptItem) {
	l.line.register(ids(items, func(it *shopfloor.ReceiptItem) int64 { return it.PurchaseOrderLineID }))
	l.inventory.register(ids(items, func(it *shopfloor.ReceiptItem) int64 { return it.PartInventoryID }))
}
