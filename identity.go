package shopfloor

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Identity is what the auth layer learns from the store about a token's
// subject: the principal to act as, and the states that may refuse it.
type Identity struct {
	Principal
	UserActive bool
	KeyEnabled bool   // for API keys: the key is enabled and not deleted
	OrgState   string // ACTIVE, BLOCKED or READ_ONLY
}

// NewAPIKey is a freshly made API key: the only time its secret is seen.
type NewAPIKey struct {
	ID           int64
	ClientID     string
	ClientSecret string
}

// APIKey is a stored API key: only a hash of its secret is kept.
type APIKey struct {
	ID         int64
	OrgID      int64
	UserID     int64
	ClientID   string
	SecretHash string
	Enabled    bool
}

// SigningKey is an RS256 key that signs access tokens. A retired key no
// longer signs but still verifies tokens until they expire.
type SigningKey struct {
	KID        string
	PrivatePEM string
	CreatedAt  time.Time
	RetiredAt  *time.Time
}

// HashSecret is how secrets (API-key secrets, later refresh tokens) are
// stored. They are 256-bit random values, so a fast hash is as strong as a
// slow one would be.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
