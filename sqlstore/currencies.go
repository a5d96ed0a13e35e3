package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var currencies = &table[shopfloor.Currency]{
	entity: "Currency", name: "currencies", alias: "cu",
	selects: "cu.id, cu.org_id, cu.code, cu.name, cu.symbol, cu.etag, cu.created_at, cu.updated_at, cu.created_by_id, cu.updated_by_id",
	fields: map[string]column{
		"id":   {"cu.id", kindID},
		"code": {"cu.code", kindEnum},
		"name": {"cu.name", kindText},
	},
	dest: func(v *shopfloor.Currency) []any {
		return []any{&v.ID, &v.OrgID, &v.Code, &v.Name, &v.Symbol, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Currency returns one currency of the caller's org.
func (s *Store) Currency(ctx context.Context, id int64) (*shopfloor.Currency, error) {
	return get(ctx, s, currencies, id)
}

// Currencies lists the caller's currencies.
func (s *Store) Currencies(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Currency], error) {
	return list(ctx, s, currencies, opts)
}

func currencyChanges(f shopfloor.CurrencyFields) changes {
	var c changes
	setIf(&c, "code", f.Code)
	setIf(&c, "name", f.Name)
	setIf(&c, "symbol", f.Symbol)
	return c
}

// duplicateCurrency is the 422 of a code the organization already has;
// the database's unique index decides it.
func duplicateCurrency(err error, s *Store, f shopfloor.CurrencyFields) error {
	if s.dialect.isUnique(err) {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Currency with code '%s' already exists.", *f.Code)
	}
	return err
}

// CreateCurrency adds a currency whose code the organization does not have.
func (s *Store) CreateCurrency(ctx context.Context, f shopfloor.CurrencyFields) (*shopfloor.Currency, error) {
	return mutate(ctx, s, currencies, "CreateCurrency", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		id, err := s.insert(ctx, tx, currencies.name, p, currencyChanges(f))
		return id, duplicateCurrency(err, s, f)
	})
}

// UpdateCurrency changes a currency if etag is current.
func (s *Store) UpdateCurrency(ctx context.Context, id int64, etag string, f shopfloor.CurrencyFields) (*shopfloor.Currency, error) {
	return mutate(ctx, s, currencies, "UpdateCurrency", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		return id, duplicateCurrency(update(ctx, s, tx, currencies, p, id, etag, currencyChanges(f)), s, f)
	})
}

// DeleteCurrency soft-deletes a currency no live purchase order is priced in.
func (s *Store) DeleteCurrency(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, currencies, "DeleteCurrency", id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		used, err := s.hasAny(ctx, tx, "SELECT 1 FROM purchase_orders WHERE currency_id = ? AND org_id = ? AND deleted_at IS NULL LIMIT 1", id, p.OrgID)
		if err == nil && used {
			err = shopfloor.Errorf(shopfloor.CodeInvalid, "Currency cannot be deleted while purchase orders are priced in it.")
		}
		return err
	})
}
