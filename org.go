package shopfloor

import (
	"context"
	"time"
)

// Organization is a tenant. Every other row belongs to exactly one.
type Organization struct {
	ID        int64
	Name      string
	Domain    string
	State     string // ACTIVE, BLOCKED or READ_ONLY
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// User is a person or service identity of an organization.
type User struct {
	ID        int64
	OrgID     int64
	Name      string
	Email     string
	Active    bool
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Role is a named set of permissions in an organization.
type Role struct {
	ID    int64
	OrgID int64
	Name  string
}

// The system roles every organization has.
const (
	RoleAdmin    = "Admin"
	RoleReadOnly = "Read-only"
)

// OrgService reads the caller's own organization and users.
type OrgService interface {
	// Me returns the calling user (the service identity of an API key).
	Me(ctx context.Context) (*User, error)
	// Organization returns the caller's organization.
	Organization(ctx context.Context) (*Organization, error)
	// UserRoles returns the roles of a user of the caller's organization.
	UserRoles(ctx context.Context, userID int64) ([]Role, error)
}
