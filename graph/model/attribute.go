package model

import "github.com/shopfloor-dev/shopfloor"

// UpdateAttributeInput is the input of the mutations that set one custom
// attribute of an entity (updateRunAttribute): OwnerID is the entity's id
// (runId), the etag the entity's.
type UpdateAttributeInput struct {
	OwnerID *int64
	Key     *string
	Value   any
	EtagInput
}

// Fields is the input as the store takes it.
func (in UpdateAttributeInput) Fields() shopfloor.AttributeFields {
	return shopfloor.AttributeFields{OwnerID: in.OwnerID, Key: in.Key, Value: in.Value, Etag: in.EtagInput.Value()}
}

// EntityAttribute is one custom attribute of an entity that stores them on
// its row (RunAttribute): Etag is the entity's, ID and EntityID the entity's.
type EntityAttribute struct {
	Etag     string
	ID       int64
	EntityID int64
	Key      string
	Type     *string
	Value    any
}

// EntityAttributeOf is the attribute key among attrs, with the owner's ids
// and etag.
func EntityAttributeOf(id, entityID int64, etag string, attrs shopfloor.Attributes, key string) *EntityAttribute {
	out := &EntityAttribute{Etag: etag, ID: id, EntityID: entityID, Key: key}
	for _, a := range attrs {
		if a.Key == key {
			out.Type, out.Value = a.Type, a.Value
		}
	}
	return out
}
