package shopfloor

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
)

// Attribute is one custom attribute of an entity: a key, its type, and any
// JSON value (a string, number, boolean or, for FILE_ATTACHMENT, a URL).
type Attribute struct {
	Key   string  `json:"key"`
	Type  *string `json:"type"`
	Value any     `json:"value"`
}

// Attributes is an entity's custom attributes, stored as one JSON list.
type Attributes []Attribute

// Scan reads the stored JSON list.
func (a *Attributes) Scan(src any) error {
	*a = Attributes{}
	return ScanJSON(src, (*[]Attribute)(a))
}

// Value stores the list as JSON text.
func (a Attributes) Value() (driver.Value, error) {
	if a == nil {
		a = Attributes{}
	}
	return JSONText([]Attribute(a))
}

// StringList is a list of strings stored as JSON text.
type StringList []string

// Scan reads the stored JSON list.
func (l *StringList) Scan(src any) error {
	*l = StringList{}
	return ScanJSON(src, (*[]string)(l))
}

// Value stores the list as JSON text.
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		l = StringList{}
	}
	return JSONText([]string(l))
}

// ScanJSON decodes a JSON text column into dst; NULL leaves dst as it is.
func ScanJSON(src, dst any) error {
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), dst)
	case []byte:
		return json.Unmarshal(v, dst)
	case nil:
		return nil
	}
	return fmt.Errorf("shopfloor: JSON from %T", src)
}

// JSONText encodes v as the JSON text a column stores.
func JSONText(v any) (driver.Value, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// The bounds of an entity's custom attributes: the longest key and type
// name, the largest value (as JSON), and how many one entity may have.
const (
	AttributeMaxKey        = 255
	AttributeMaxType       = 64
	AttributeMaxValueBytes = 64 << 10
	AttributeMaxCount      = 500
)

// attributes checks each key is given, short enough and not repeated, and
// that types, values and their number stay within bounds.
func (c *check) attributes(field string, attrs *Attributes) {
	if attrs == nil {
		return
	}
	c.count(field, len(*attrs), AttributeMaxCount)
	seen := make(map[string]bool, len(*attrs))
	for i := range *attrs {
		key := &(*attrs)[i].Key
		c.text(field+" key", key, true, AttributeMaxKey)
		c.text(field+" type", (*attrs)[i].Type, false, AttributeMaxType)
		if raw, err := json.Marshal((*attrs)[i].Value); err != nil || len(raw) > AttributeMaxValueBytes {
			c.fail(field, "value of key '%s' must be at most %d bytes of JSON.", *key, AttributeMaxValueBytes)
		}
		if seen[*key] {
			c.fail(field, "key '%s' is repeated.", *key)
		}
		seen[*key] = true
	}
}

// AttributeFields are the input of the mutations that set one custom
// attribute of an entity whose attributes are one list on its row
// (updateRunAttribute, updatePartAttribute...): the entity's id, the key, the
// value (null clears it) and the entity's etag.
type AttributeFields struct {
	OwnerID *int64
	Key     *string
	Value   any
	Etag    string
}

// Validate checks the entity and key are given and the value is within
// bounds, for an entity of entityType (AttributeEntities): the messages name
// its attribute (RunAttribute runId is required.).
func (f *AttributeFields) Validate(entityType string) error {
	name := AttributeEntities[entityType]
	c := &check{entity: name + "Attribute"}
	if f.OwnerID == nil {
		c.fail(strings.ToLower(name[:1])+name[1:]+"Id", "is required.")
	}
	c.text("key", f.Key, true, AttributeMaxKey)
	c.jsonValue("value", f.Value)
	return c.result()
}

// With returns the attributes with a set: it replaces the attribute of the
// same key in place, or is appended after the others.
func (a Attributes) With(set Attribute) Attributes {
	out := append(Attributes{}, a...)
	for i := range out {
		if out[i].Key == set.Key {
			out[i] = set
			return out
		}
	}
	return append(out, set)
}
