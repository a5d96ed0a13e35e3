package sqlstore

import (
	"context"
	"database/sql"
	"maps"

	"github.com/shopfloor-dev/shopfloor"
)

var notifications = &table[shopfloor.Notification]{
	entity: "UserNotification", name: "notifications", alias: "n", kept: true,
	selects: "n.id, n.org_id, n.user_id, n.notification_type, n.title, n.description, n.link_text, n.path, " +
		"n.etag, n.created_at, n.updated_at, n.created_by_id, n.updated_by_id",
	fields: map[string]column{
		"id":               {"n.id", kindID},
		"userId":           {"n.user_id", kindID},
		"notificationType": {"n.notification_type", kindEnum},
		"title":            {"n.title", kindText},
		"createdById":      {"n.created_by_id", kindID},
	},
	dest: func(v *shopfloor.Notification) []any {
		return []any{&v.ID, &v.OrgID, &v.UserID, &v.NotificationType, &v.Title, &v.Description, &v.LinkText, &v.Path,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Notification returns one of the caller's own notifications; anyone
// else's is not found.
func (s *Store) Notification(ctx context.Context, id int64) (*shopfloor.Notification, error) {
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	n, err := get(ctx, s, notifications, id)
	if err == nil && n.UserID != p.UserID {
		return nil, shopfloor.NotFound(notifications.entity, id)
	}
	return n, err
}

// Notifications lists the caller's own notifications.
func (s *Store) Notifications(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Notification], error) {
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	opts.Filters = maps.Clone(opts.Filters)
	if opts.Filters == nil {
		opts.Filters = map[string]any{}
	}
	opts.Filters["userId"] = map[string]any{"eq": p.UserID}
	return list(ctx, s, notifications, opts)
}

// DispatchNotification delivers a notification to a user of the caller's
// organization.
func (s *Store) DispatchNotification(ctx context.Context, f shopfloor.NotificationFields) (*shopfloor.Notification, error) {
	return mutate(ctx, s, notifications, "DispatchNotification", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if err := exists(ctx, s, tx, users, p, *f.UserID); err != nil {
			return 0, err
		}
		var c changes
		c.set("user_id", *f.UserID)
		c.set("notification_type", *f.NotificationType)
		c.set("title", *f.Title)
		setIf(&c, "description", f.Description)
		setIf(&c, "link_text", f.LinkText)
		setIf(&c, "path", f.Path)
		return s.insert(ctx, tx, notifications.name, p, c)
	})
}
