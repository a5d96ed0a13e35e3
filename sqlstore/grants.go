package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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

// usedCodeKept is how long a redeemed code is kept, so that a replay of it
// revokes what its first use was given.
const usedCodeKept = 24 * time.Hour

// ConsumeAuthCode redeems an unexpired code once, even when two requests
// race for it: it starts a grant, which the tokens issued for the code and
// its refresh tokens carry. A code redeemed before is refused and revokes
// that grant (RFC 6749 §4.1.2). Expired codes are cleared on the way.
func (s *Store) ConsumeAuthCode(ctx context.Context, codeHash string) (_ *shopfloor.AuthCode, err error) {
	defer s.classify(&err)
	var c shopfloor.AuthCode
	replayed := false
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().UTC()
		if _, err := s.exec(ctx, tx, "DELETE FROM oauth_codes WHERE expires_at <= ? AND (grant_id IS NULL OR expires_at <= ?)",
			now, now.Add(-usedCodeKept)); err != nil {
			return err
		}
		var used sql.NullInt64
		err := s.queryRow(ctx, tx, "SELECT code_hash, app_id, user_id, redirect_uri, code_challenge, scope, nonce, expires_at, grant_id "+
			"FROM oauth_codes WHERE code_hash = ?"+s.dialect.forUpdate, codeHash).
			Scan(&c.CodeHash, &c.AppID, &c.UserID, &c.RedirectURI, &c.CodeChallenge, &c.Scope, &c.Nonce, &c.ExpiresAt, &used)
		if err != nil {
			return err
		}
		if replayed = used.Valid; replayed {
			_, err := s.exec(ctx, tx, "UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, used.Int64)
			return err
		}
		if !c.ExpiresAt.After(now) {
			return sql.ErrNoRows
		}
		if err := s.queryRow(ctx, tx, "INSERT INTO oauth_grants (app_id, user_id, created_at) VALUES (?, ?, ?) RETURNING id",
			c.AppID, c.UserID, now).Scan(&c.GrantID); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, "UPDATE oauth_codes SET grant_id = ? WHERE code_hash = ?", c.GrantID, codeHash)
		return err
	})
	if err == sql.ErrNoRows || err == nil && replayed {
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
	_, err := s.exec(ctx, q, "INSERT INTO refresh_tokens (token_hash, app_id, user_id, scope, created_at, expires_at, grant_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
		t.TokenHash, t.AppID, t.UserID, t.Scope, s.Now().UTC(), t.ExpiresAt.UTC(), sql.NullInt64{Int64: t.GrantID, Valid: t.GrantID != 0})
	if err != nil {
		return fmt.Errorf("sqlstore: save refresh token: %w", err)
	}
	return nil
}

// RefreshToken finds a live refresh token (unexpired, not revoked, of a
// live app and grant) by hash.
func (s *Store) RefreshToken(ctx context.Context, tokenHash string) (_ *shopfloor.RefreshToken, err error) {
	defer s.classify(&err)
	var t shopfloor.RefreshToken
	var grant sql.NullInt64
	err = s.queryRow(ctx, s.read, "SELECT t.id, t.token_hash, t.app_id, t.user_id, t.scope, t.expires_at, t.grant_id FROM refresh_tokens t "+
		"JOIN oauth_apps a ON a.id = t.app_id AND a.deleted_at IS NULL LEFT JOIN oauth_grants g ON g.id = t.grant_id "+
		"WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND g.revoked_at IS NULL", tokenHash, s.Now().UTC()).
		Scan(&t.ID, &t.TokenHash, &t.AppID, &t.UserID, &t.Scope, &t.ExpiresAt, &grant)
	t.GrantID = grant.Int64
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
