package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// A rotation retires the live key as of the new key's birth and prunes only
// the keys retired before the cut-off, on both engines.
func TestRotateSigningKeys(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t0 := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		key := func(kid string, at time.Time) shopfloor.SigningKey {
			return shopfloor.SigningKey{KID: kid, PrivatePEM: "pem of " + kid, CreatedAt: at}
		}
		if err := s.AddSigningKey(ctx, key("k1", t0)); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			kid         string
			at          time.Time
			pruneBefore time.Time
			want        string // kid:retired-at of each stored key, newest first
		}{
			{"k2", t0.Add(time.Hour), t0, "k2:live k1:13:00"},
			{"k3", t0.Add(2 * time.Hour), t0.Add(time.Hour), "k3:live k2:14:00 k1:13:00"},
			{"k4", t0.Add(3 * time.Hour), t0.Add(3 * time.Hour), "k4:live k3:15:00"},
		} {
			if err := s.RotateSigningKeys(ctx, key(step.kid, step.at), step.pruneBefore); err != nil {
				t.Fatal(err)
			}
			stored := must[[]shopfloor.SigningKey](t)(s.SigningKeys(ctx))
			var got []string
			for _, k := range stored {
				retired := "live"
				if k.RetiredAt != nil {
					retired = k.RetiredAt.UTC().Format("15:04")
				}
				got = append(got, k.KID+":"+retired)
			}
			if strings.Join(got, " ") != step.want {
				t.Fatalf("after rotating to %s: %q, want %q", step.kid, got, step.want)
			}
		}
	})
}
