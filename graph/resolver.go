package graph

import (
	"context"
	"reflect"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/blobstore"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// Resolver is the root resolver: the store every field reads and writes.
type Resolver struct {
	Store shopfloor.Store
	// MaxPageSize bounds list pages (ListOptions.MaxPage).
	MaxPageSize int
	// RealmURL is the OpenID realm's URL, whose endpoints OAuth apps use.
	RealmURL string
	// Files signs the URLs of files' content; Bucket names their store.
	Files  *blobstore.URLs
	Bucket string
}

// listOptions gathers a list field's arguments.
func (r *Resolver) listOptions(filters map[string]any, sort []*string, first *int, after *string, last *int, before *string) shopfloor.ListOptions {
	opts := shopfloor.ListOptions{Filters: filters, First: first, After: after, Last: last, Before: before, MaxPage: r.MaxPageSize}
	for _, s := range sort {
		if s != nil {
			opts.Sort = append(opts.Sort, *s)
		}
	}
	return opts
}

// deleted is a delete's payload.
func deleted(id int64, err error) (*model.DeletePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.DeletePayload{ID: id}, nil
}

func ids[T any](items []T, id func(*T) int64) []int64 {
	out := make([]int64, len(items))
	for i := range items {
		out[i] = id(&items[i])
	}
	return out
}

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// orEmpty makes a relation with no rows an empty list, not null.
func orEmpty[T any](items []T, err error) ([]T, error) {
	if err == nil && items == nil {
		items = []T{}
	}
	return items, err
}

// receiverPayload is a webhook receiver mutation's payload.
func receiverPayload(v *shopfloor.WebhookReceiver, err error) (*model.WebhookReceiverPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.WebhookReceiverPayload{WebhookReceiver: v}, nil
}

// subscriptionPayload is a webhook subscription mutation's payload.
func subscriptionPayload(v *shopfloor.WebhookSubscription, err error) (*model.WebhookSubscriptionPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.WebhookSubscriptionPayload{WebhookSubscription: v}, nil
}

// apiKeyPayload is an API-key mutation's payload, with the secret when
// there is a new one.
func apiKeyPayload(key *shopfloor.APIKey, secret string, err error) (*model.APIKeyPayload, error) {
	if err != nil {
		return nil, err
	}
	out := &model.APIKey{APIKey: *key}
	if secret != "" {
		out.ClientSecret = &secret
	}
	return &model.APIKeyPayload{Apikey: out}, nil
}

// setAttributeDefinition is the mutation that defines an attribute key of
// one entity type.
func (r *Resolver) setAttributeDefinition(ctx context.Context, entityType string, input model.OrganizationAttributeInput) (*model.AttributeDefinitionPayload, error) {
	v, err := r.Store.SetAttributeDefinition(ctx, entityType, input.EtagInput.Value(), input.AttributeDefinitionFields)
	if err != nil {
		return nil, err
	}
	return &model.AttributeDefinitionPayload{AttributeDefinition: v}, nil
}

// attributesWithKeys is ION's Supplier.Attributes(filters: {key: {in | eq}}):
// the attributes whose key the filter names, all of them without one.
func attributesWithKeys(attrs shopfloor.Attributes, filters map[string]any) ([]shopfloor.Attribute, error) {
	keyFilter, _ := filters["key"].(map[string]any)
	if len(keyFilter) == 0 {
		return orEmpty(attrs, nil)
	}
	keep := map[string]bool{}
	add := func(v any) {
		if rv := reflect.Indirect(reflect.ValueOf(v)); rv.Kind() == reflect.String {
			keep[rv.String()] = true
		}
	}
	add(keyFilter["eq"])
	if in := reflect.ValueOf(keyFilter["in"]); in.Kind() == reflect.Slice {
		for i := range in.Len() {
			add(in.Index(i).Interface())
		}
	}
	out := []shopfloor.Attribute{}
	for _, a := range attrs {
		if keep[a.Key] {
			out = append(out, a)
		}
	}
	return out, nil
}
