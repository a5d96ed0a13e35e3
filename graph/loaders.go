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
	filesByEntity     *batcher[[]shopfloor.FileAttachment]
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
		filesByEntity:     newBatcher(s.FileAttachmentsByEntityIDs),

		subscriptionsByReceiver: newBatcher(s.SubscriptionsByReceiverIDs),
	}
	// Whatever one batch loads, the next level down loads as one batch too.
	l.part.fetched = func(m map[int64]*shopfloor.Part) { l.partsLoaded(slices.Collect(maps.Values(m))) }
	l.location.fetched = func(m map[int64]*shopfloor.Location) { l.locationsLoaded(slices.Collect(maps.Values(m))) }
	l.inventoriesByPart.fetched = func(m map[int64][]shopfloor.PartInventory) {
		l.inventoriesLoaded(slices.Concat(slices.Collect(maps.Values(m))...))
	}
	return l
}

type loadersKey struct{}

// withLoaders gives a request its batchers.
func withLoaders(ctx context.Context, s shopfloor.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(s))
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
	l.filesByEntity.register(entities)
}

// inventoriesLoaded makes the parts, the locations and the units of this
// inventory one batch each.
func (l *loaders) inventoriesLoaded(items []shopfloor.PartInventory) {
	var parts, locs, units []int64
	for _, it := range items {
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
}

// locationsLoaded makes the parents of these locations one batch.
func (l *loaders) locationsLoaded(items []*shopfloor.Location) {
	var parents []int64
	for _, loc := range items {
		if loc.ParentID != nil {
			parents = append(parents, *loc.ParentID)
		}
	}
	l.location.register(parents)
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
