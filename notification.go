package shopfloor

import (
	"context"
	"time"
)

// Notification is an in-app message to one user: ION's toast, which
// dispatchNotification sends and the user reads as their own.
type Notification struct {
	ID               int64
	OrgID            int64
	UserID           int64
	NotificationType string // NotificationTypes
	Title            string
	Description      *string
	LinkText         *string
	Path             *string // a URL the notification links to
	Etag             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CreatedByID      *int64
	UpdatedByID      *int64
}

// NotificationTypes are ION's kinds of notification: EXTERNAL (blue),
// SIGNOFF (yellow), WARNING (red).
var NotificationTypes = []string{"EXTERNAL", "SIGNOFF", "WARNING"}

// NotificationFields are dispatchNotification's input.
type NotificationFields struct {
	UserID           *int64
	NotificationType *string
	Title            *string
	Description      *string
	LinkText         *string
	Path             *string
}

// Validate normalizes and validates a notification.
func (f *NotificationFields) Validate() error {
	c := &check{entity: "UserNotification"}
	if f.UserID == nil {
		c.fail("userId", "is required.")
	}
	if f.NotificationType == nil {
		f.NotificationType = ptr(NotificationTypes[0])
	}
	c.enum("notificationType", f.NotificationType, NotificationTypes...)
	c.text("title", f.Title, true, MaxName)
	c.text("description", f.Description, false, IssueMaxDescription)
	c.text("linkText", f.LinkText, false, MaxName)
	c.text("path", f.Path, false, MaxURI)
	return c.result()
}

// NotificationService delivers notifications in the app: each user reads
// their own (an API key, its service identity's).
type NotificationService interface {
	Notification(ctx context.Context, id int64) (*Notification, error)
	Notifications(ctx context.Context, opts ListOptions) (*Page[Notification], error)
	DispatchNotification(ctx context.Context, f NotificationFields) (*Notification, error)
}
