package sqlstore_test

import (
	"context"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// In a context that defers the check, a kept identity is answered without a
// statement; the check rides with the first read (on PostgreSQL in its
// round trip) or is made by ConfirmIdentity. A stale kept identity is told
// by ConfirmIdentity, its reads on PostgreSQL's pipeline are refused, and
// its writes are refused on both engines before they are sent.
func TestDeferredIdentityCheck(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		org, _, key := orgWithKey(t, s, "a@acme.example")
		stored := must[*shopfloor.APIKey](t)(s.APIKeyByClientID(ctx, key.ClientID))
		identity := func(ctx context.Context) *shopfloor.Identity {
			t.Helper()
			return must[*shopfloor.Identity](t)(s.Identity(ctx, stored.UserID, key.ClientID))
		}
		count := func(fn func()) int64 {
			before := s.Statements()
			fn()
			return s.Statements() - before
		}
		statements := func(what string, want int64, fn func()) {
			t.Helper()
			if n := count(fn); n != want {
				t.Errorf("%s: %d statements, want %d", what, n, want)
			}
		}
		confirm := func(ctx context.Context, want bool) {
			t.Helper()
			if current := must[bool](t)(s.ConfirmIdentity(ctx)); current != want {
				t.Errorf("ConfirmIdentity %v, want %v", current, want)
			}
		}
		all := len(shopfloor.AllPermissions())
		identity(ctx) // kept

		req := s.DeferIdentityCheck(ctx)
		statements("a kept identity, deferred", 0, func() { identity(req) })
		statements("a read and the check", 2, func() {
			must[bool](t)(s.HasOrganizations(req))
			confirm(req, true)
		})
		statements("a confirmed check", 0, func() { confirm(req, true) })

		write := count(func() { must[*shopfloor.User](t)(s.CreateUser(ctx, org.ID, "b@acme.example", "B")) })
		req = s.DeferIdentityCheck(ctx)
		identity(req)
		statements("a write first: the check, then the write's", 1+write, func() {
			must[*shopfloor.User](t)(s.CreateUser(req, org.ID, "c@acme.example", "C"))
		})

		// Removing the key's permissions moves the organization's version.
		if _, err := s.DB().ExecContext(ctx, s.Rebind("DELETE FROM api_key_permissions WHERE api_key_id = (SELECT id FROM api_keys WHERE client_id = ?)"), key.ClientID); err != nil {
			t.Fatal(err)
		}
		req = s.DeferIdentityCheck(ctx)
		if got := len(identity(req).Permissions); got != all {
			t.Fatalf("the kept identity has %d permissions, want the %d it was read with", got, all)
		}
		_, err := s.HasOrganizations(req)
		if pipelined := s.Pool() != nil; pipelined != (shopfloor.ErrorCode(err) == shopfloor.CodeUnavailable) {
			t.Errorf("a read of a stale identity (pipelined %v): %v", pipelined, err)
		}
		confirm(req, false)
		if _, err := s.CreateUser(req, org.ID, "d@acme.example", "D"); shopfloor.ErrorCode(err) != shopfloor.CodeUnavailable {
			t.Errorf("a write of a stale identity: %v", err)
		}
		var written int
		if err := s.DB().QueryRowContext(ctx, s.Rebind("SELECT COUNT(*) FROM users WHERE email = ?"), "d@acme.example").Scan(&written); err != nil || written != 0 {
			t.Errorf("a stale identity's write left %d rows (%v)", written, err)
		}
		if got := len(identity(ctx).Permissions); got != 0 {
			t.Errorf("read afresh, the identity has %d permissions", got)
		}
	})
}
