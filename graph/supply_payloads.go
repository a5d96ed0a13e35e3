package graph

import (
	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// kitPayload answers a kit mutation.
func kitPayload(v *shopfloor.PartKit, err error) (*model.PartKitPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PartKitPayload{PartKit: v}, nil
}

// currencyPayload answers a currency mutation.
func currencyPayload(v *shopfloor.Currency, err error) (*model.CurrencyPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.CurrencyPayload{Currency: v}, nil
}
