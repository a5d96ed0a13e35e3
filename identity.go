package shopfloor

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Identity is what the auth layer learns from the store about a token's
// subject: the principal to act as, and the states that may refuse it.
type Identity struct {
	Principal
	Kind         string   // UserPerson or UserService
	KeyEnabled   bool     // for API keys: the key is enabled and not deleted
	AppLive      bool     // for a person's token through an OAuth app: the app is not deleted, nor its grant revoked
	LoginDomains []string // the email domains the organization's people may sign in with
}

// LoginDomainOK reports whether a person's email is in one of the
// organization's login domains, and returns the email's domain.
func (id *Identity) LoginDomainOK() (domain string, ok bool) {
	_, domain, _ = strings.Cut(id.Email, "@")
	domain = strings.ToLower(domain)
	return domain, id.Kind != UserPerson || slices.Contains(id.LoginDomains, domain)
}

// NewAPIKey is a freshly made API key: the only time its secret is seen.
type NewAPIKey struct {
	ID           int64
	ClientID     string
	ClientSecret string
}

// APIKey is a stored API key: only a hash of its secret is kept.
type APIKey struct {
	ID          int64
	OrgID       int64
	UserID      int64 // its service identity
	CreatedByID int64 // the person who made it
	ClientID    string
	SecretHash  string
	Enabled     bool
	// TokenGeneration advances when the key is disabled or its secret
	// regenerated: tokens minted at an earlier one are revoked.
	TokenGeneration int64
	Etag            string
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// CreatorEmail and CreatorActive are the state of the person who made
	// the key, and AuthVersion its organization's auth_version, when the key
	// is looked up to sign in.
	CreatorEmail  string
	CreatorActive bool
	AuthVersion   int64
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
