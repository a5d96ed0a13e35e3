package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// errGrant is what an unknown, used, expired or revoked code or refresh
// token is: the same not-found whatever the reason.
var errGrant = shopfloor.Errorf(shopfloor.CodeNotFound, "Grant not found.")

// SaveAuthCode stores an authorization code (by hash).
func (s *Store) SaveAuthCode(ctx context.Context, c shopfloor.AuthCode) (err error) {
	defer s.classify(&err)
	_, err = s.exec(ctx, s.write, "INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, code_challenge, scope, nonce, expires_at) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.CodeHash, c.AppID, c.UserID, c.RedirectURI, c.CodeChallenge, c.Scope, c.Nonce, c.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("sqlstore: save code: %w", err)
	}
	return nil
}

// ConsumeAuthCode takes an unexpired code out of the store, so that it is
// redeemed at most once even when two requests race for it; codes that have
// expired are cleared on the way.
func (s *Store) ConsumeAuthCode(ctx context.Context, codeHash string) (_ *shopfloor.AuthCode, err error) {
	defer s.classify(&err)
	var c shopfloor.AuthCode
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().UTC()
		if _, err := s.exec(ctx, tx, "DELETE FROM oauth_codes WHERE expires_at <= ?", now); err != nil {
			return err
		}
		return s.queryRow(ctx, tx, "DELETE FROM oauth_codes WHERE code_hash = ? "+
			"RETURNING code_hash, app_id, user_id, redirect_uri, code_challenge, scope, nonce, expires_at", codeHash).
			Scan(&c.CodeHash, &c.AppID, &c.UserID, &c.RedirectURI, &c.CodeChallenge, &c.Scope, &c.Nonce, &c.ExpiresAt)
	})
	if err == sql.ErrNoRows {
		return nil, errGrant
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: consume code: %w", err)
	}
	return &c, nil
}

// SaveRefreshToken stores a new refresh token (by hash).
func (s *Store) SaveRefreshToken(ctx context.Context, t shopfloor.RefreshToken) (err error) {
	defer s.classify(&err)
	return s.insertRefreshToken(ctx, s.write, t)
}

func (s *Store) insertRefreshToken(ctx context.Context, q querier, t shopfloor.RefreshToken) error {
	_, err := s.exec(ctx, q, "INSERT INTO refresh_tokens (token_hash, app_id, user_id, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		t.TokenHash, t.AppID, t.UserID, t.Scope, s.Now().UTC(), t.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("sqlstore: save refresh token: %w", err)
	}
	return nil
}

// RefreshToken finds a live refresh token (unexpired, not revoked, of a
// live app) by hash.
func (s *Store) RefreshToken(ctx context.Context, tokenHash string) (_ *shopfloor.RefreshToken, err error) {
	defer s.classify(&err)
	var t shopfloor.RefreshToken
	err = s.queryRow(ctx, s.read, "SELECT t.id, t.token_hash, t.app_id, t.user_id, t.scope, t.expires_at FROM refresh_tokens t "+
		"JOIN oauth_apps a ON a.id = t.app_id AND a.deleted_at IS NULL "+
		"WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?", tokenHash, s.Now().UTC()).
		Scan(&t.ID, &t.TokenHash, &t.AppID, &t.UserID, &t.Scope, &t.ExpiresAt)
	if err == sql.ErrNoRows {
		return nil, errGrant
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: refresh token: %w", err)
	}
	return &t, nil
}

// RotateRefreshToken revokes the refresh token old and stores next in its
// place, in one transaction; if old was revoked meanwhile (a concurrent or
// replayed use), nothing changes and the grant is refused.
func (s *Store) RotateRefreshToken(ctx context.Context, oldID int64, next shopfloor.RefreshToken) (err error) {
	defer s.classify(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, "UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", s.Now().UTC(), oldID)
		if err != nil {
			return fmt.Errorf("sqlstore: rotate refresh token: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: rotate refresh token: %w", err)
		} else if n != 1 {
			return errGrant
		}
		return s.insertRefreshToken(ctx, tx, next)
	})
}

// PasswordHash returns a person's password hash, empty when they have
// none and so cannot sign in with a password.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (_ string, err error) {
	defer s.classify(&err)
	var hash sql.NullString
	err = s.queryRow(ctx, s.read, "SELECT password_hash FROM users WHERE id = ? AND kind = 'PERSON'", userID).Scan(&hash)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("sqlstore: password: %w", err)
	}
	return hash.String, nil
}

// SetPasswordHash sets a person's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) (err error) {
	defer s.classify(&err)
	res, err := s.exec(ctx, s.write, "UPDATE users SET password_hash = ? WHERE id = ? AND kind = 'PERSON'", hash, userID)
	if err != nil {
		return fmt.Errorf("sqlstore: set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return shopfloor.Errorf(shopfloor.CodeNotFound, "User %d is not a person.", userID)
	}
	return nil
}
