package shopfloor

import (
	"context"
	"strings"
	"time"
)

// Currency is one of an organization's currencies, by its ISO 4217 code
// (unique among the organization's live currencies); purchase orders are
// priced in one.
type Currency struct {
	ID          int64
	OrgID       int64
	Code        string
	Name        string
	Symbol      *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// CurrencyFields are the writable fields of a currency.
type CurrencyFields struct {
	Code   *string
	Name   *string
	Symbol *string
}

// MaxCurrencySymbol is the longest currency symbol.
const MaxCurrencySymbol = 16

// Validate normalizes (the code upper-cased) and validates currency
// fields; create requires the code and the name.
func (f *CurrencyFields) Validate(create bool) error {
	c := &check{entity: "Currency"}
	if f.Code != nil {
		*f.Code = strings.ToUpper(strings.TrimSpace(*f.Code))
		if !isCurrencyCode(*f.Code) {
			c.fail("code", "must be an ISO 4217 code of 3 letters.")
		}
	} else if create {
		c.fail("code", "is required.")
	}
	c.text("name", f.Name, create, MaxName)
	if f.Name != nil && *f.Name == "" {
		c.fail("name", "is required.")
	}
	c.text("symbol", f.Symbol, false, MaxCurrencySymbol)
	return c.result()
}

func isCurrencyCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// CurrencyService manages the currencies of the caller's organization.
type CurrencyService interface {
	Currency(ctx context.Context, id int64) (*Currency, error)
	Currencies(ctx context.Context, opts ListOptions) (*Page[Currency], error)
	CreateCurrency(ctx context.Context, f CurrencyFields) (*Currency, error)
	UpdateCurrency(ctx context.Context, id int64, etag string, f CurrencyFields) (*Currency, error)
	// DeleteCurrency refuses a currency a live purchase order is priced in.
	DeleteCurrency(ctx context.Context, id int64, etag string) error
}
