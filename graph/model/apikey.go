package model

import "github.com/shopfloor-dev/shopfloor"

// APIKey is an API key as the schema shows it: its secret only when it was
// just made.
type APIKey struct {
	shopfloor.APIKey
	ClientSecret *string
}
