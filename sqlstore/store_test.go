package sqlstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// mustOpen opens a fresh store in a temporary directory.
func mustOpen(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// asUser returns a context acting as a new user of a new organization.
func asUser(tb testing.TB, s *sqlstore.Store, domain, role string) context.Context {
	tb.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, domain, domain)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := s.CreateUser(ctx, org.ID, "someone@"+domain, "Someone", role)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := s.Identity(ctx, u.ID, "")
	if err != nil {
		tb.Fatal(err)
	}
	return shopfloor.WithPrincipal(ctx, &id.Principal)
}

func ptr[T any](v T) *T { return &v }

func wantCode(t *testing.T, err error, code shopfloor.Code, msg string) {
	t.Helper()
	if shopfloor.ErrorCode(err) != code || shopfloor.ErrorMessage(err) != msg {
		t.Fatalf("got %v (%s), want %s %q", err, shopfloor.ErrorCode(err), code, msg)
	}
}

func TestPartLifecycle(t *testing.T) {
	s := mustOpen(t)
	ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
	other := asUser(t, s, "b.example", shopfloor.RoleAdmin)

	p, err := s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr(" BRKT-1 "), PartType: ptr("tool")})
	if err != nil {
		t.Fatal(err)
	}
	if p.PartNumber != "BRKT-1" || p.Revision != "A" || p.PartType != "TOOL" || p.Status != "RELEASED" || len(p.Etag) != 32 || p.CreatedAt.IsZero() {
		t.Fatalf("created %+v", p)
	}
	_, err = s.Part(other, p.ID)
	wantCode(t, err, shopfloor.CodeNotFound, "Part with id "+itoa(p.ID)+" not found.")

	up, err := s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr("Bracket")})
	if err != nil {
		t.Fatal(err)
	}
	if up.Etag == p.Etag || *up.Description != "Bracket" {
		t.Fatalf("updated %+v", up)
	}
	_, err = s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr("stale")})
	wantCode(t, err, shopfloor.CodeConflict, shopfloor.MsgEtagMismatch)
	_, err = s.UpdatePart(other, p.ID, up.Etag, shopfloor.PartFields{Description: ptr("foreign")})
	wantCode(t, err, shopfloor.CodeNotFound, "Part with id "+itoa(p.ID)+" not found.")

	if err := s.DeletePart(ctx, p.ID, up.Etag); err != nil {
		t.Fatal(err)
	}
	_, err = s.Part(ctx, p.ID)
	wantCode(t, err, shopfloor.CodeNotFound, "Part with id "+itoa(p.ID)+" not found.")
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
