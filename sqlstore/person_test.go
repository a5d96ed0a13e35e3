package sqlstore_test

import (
	"context"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// An external token's email names one person, case ignored; never an API
// key's service identity, and nobody when it is ambiguous.
func TestPersonByEmail(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		org, ann, key := orgWithKey(t, s, "Ann@acme.example")
		must[*shopfloor.User](t)(s.CreateUser(ctx, org.ID, "dup@acme.example", "Dup", shopfloor.RoleReadOnly))
		must[*shopfloor.User](t)(s.CreateUser(ctx, org.ID, "DUP@acme.example", "DUP", shopfloor.RoleReadOnly))
		for _, tc := range []struct {
			email string
			want  int64 // 0: not found
		}{
			{"Ann@acme.example", ann.ID},
			{"ann@ACME.example", ann.ID},
			{"service-account-" + key.ClientID, 0},
			{"dup@acme.example", 0},
			{"nobody@acme.example", 0},
		} {
			u, err := s.PersonByEmail(ctx, tc.email)
			switch {
			case tc.want == 0 && shopfloor.ErrorCode(err) != shopfloor.CodeNotFound:
				t.Errorf("%s: %v, %v; want not found", tc.email, u, err)
			case tc.want != 0 && (err != nil || u.ID != tc.want):
				t.Errorf("%s: %v, %v; want user %d", tc.email, u, err, tc.want)
			}
		}
	})
}
