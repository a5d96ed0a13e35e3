package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// RotateSigningKeys makes k the signing key in one transaction: the keys
// retired before pruneBefore are deleted, the live ones are retired as of
// k.CreatedAt (they keep verifying), and k is added.
func (s *Store) RotateSigningKeys(ctx context.Context, k shopfloor.SigningKey, pruneBefore time.Time) (err error) {
	defer s.classify(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "DELETE FROM signing_keys WHERE retired_at < ?", pruneBefore.UTC()); err != nil {
			return fmt.Errorf("sqlstore: prune signing keys: %w", err)
		}
		if _, err := s.exec(ctx, tx, "UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL", k.CreatedAt.UTC()); err != nil {
			return fmt.Errorf("sqlstore: retire signing keys: %w", err)
		}
		if _, err := s.exec(ctx, tx, "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)", k.KID, k.PrivatePEM, k.CreatedAt.UTC()); err != nil {
			return fmt.Errorf("sqlstore: add signing key: %w", err)
		}
		return nil
	})
}
