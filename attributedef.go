package shopfloor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AttributeDefinition is an organization's definition of one custom
// attribute of an entity type: its key, its type and, for SELECT and
// MULTISELECT, the options a value is chosen among.
type AttributeDefinition struct {
	ID          int64
	OrgID       int64
	EntityType  string // PART, PART_INVENTORY, ISSUE, RUN... (AttributeEntities)
	Key         string
	Type        string // AttributeTypes
	Options     []string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// AttributeTypes are the types of a custom attribute (ION's UI: String,
// Number, Boolean, Datetime, File attachment, Select, Multiselect, ION:
// Parts, ION: Users, Rich text).
var AttributeTypes = []string{"STRING", "NUMBER", "BOOLEAN", "DATETIME", "FILE_ATTACHMENT", "SELECT", "MULTISELECT", "PART", "USER", "RICH_TEXT"}

// AttributeEntities names, by entity type, the entities with custom
// attributes: the name in messages and permissions.
var AttributeEntities = map[string]string{"PART": "Part", "PART_INVENTORY": "PartInventory", "ISSUE": "Issue", "RUN": "Run",
	"SUPPLIER": "Supplier", "PURCHASE_ORDER": "PurchaseOrder", "LOCATION": "Location", "PROCEDURE": "Procedure", "STEP": "Step",
	"RUN_STEP": "RunStep", "PURCHASE_ORDER_LINE": "PurchaseOrderLine", "RECEIPT": "Receipt"}

// AttributePermission is the permission that sets one attribute of an
// entity of entityType: UpdateRunAttribute.
func AttributePermission(entityType string) Permission {
	return Permission("Update" + AttributeEntities[entityType] + "Attribute")
}

// AttributeDefinitionPermission is the permission that changes the
// definitions of an entity type: UpdateOrganizationPartAttributes.
func AttributeDefinitionPermission(entityType string) Permission {
	return Permission("UpdateOrganization" + AttributeEntities[entityType] + "Attributes")
}

// AttributeDefinitionFields are the writable fields of a definition.
type AttributeDefinitionFields struct {
	Key     *string
	Type    *string
	Options []string // nil: none
}

// Validate normalizes and validates a definition.
func (f *AttributeDefinitionFields) Validate() error {
	c := &check{entity: "AttributeDefinition"}
	c.text("key", f.Key, true, AttributeMaxKey)
	if f.Type == nil {
		c.fail("type", "is required.")
	}
	c.enum("type", f.Type, AttributeTypes...)
	c.count("options", len(f.Options), AttributeMaxCount)
	for i := range f.Options {
		c.text("options", &f.Options[i], true, AttributeMaxKey)
	}
	if c.err == nil && (*f.Type == "SELECT" || *f.Type == "MULTISELECT") && len(f.Options) == 0 {
		c.fail("options", "are required for a %s attribute.", *f.Type)
	}
	return c.result()
}

// CheckAttributes validates the custom attributes an entity is given
// against its organization's definitions of them: a defined key takes the
// definition's type and a value of that type (numbers and booleans may come
// as text, as from a CSV, and are stored as such values); an undefined key
// keeps the type it is given. A null value clears the attribute. The
// violation is a 422 naming the attribute.
func CheckAttributes(entity string, defs []AttributeDefinition, attrs Attributes) error {
	byKey := make(map[string]*AttributeDefinition, len(defs))
	for i := range defs {
		byKey[defs[i].Key] = &defs[i]
	}
	c := &check{entity: entity}
	for i := range attrs {
		a := &attrs[i]
		def := byKey[a.Key]
		if def == nil {
			continue
		}
		field := fmt.Sprintf("attribute '%s'", a.Key)
		if a.Type != nil && !strings.EqualFold(*a.Type, def.Type) {
			c.fail(field, "type must be %s, as its definition says.", def.Type)
			continue
		}
		a.Type = &def.Type
		if a.Value != nil {
			a.Value = c.attributeValue(field, def, a.Value)
		}
	}
	return c.result()
}

// attributeValue checks v is a value of def's type, returning it normalized.
func (c *check) attributeValue(field string, def *AttributeDefinition, v any) any {
	text, isText := v.(string)
	switch def.Type {
	case "STRING":
		if !isText {
			c.fail(field, "must be text.")
		}
	case "NUMBER":
		if n, ok := number(v); ok {
			return n
		}
		c.fail(field, "must be a number.")
	case "BOOLEAN":
		if b, ok := v.(bool); ok {
			return b
		}
		if b, err := strconv.ParseBool(strings.TrimSpace(text)); isText && err == nil {
			return b
		}
		c.fail(field, "must be true or false.")
	case "DATETIME":
		if !isText {
			c.fail(field, "must be an ISO 8601 date such as 2026-01-31.")
		} else if t := c.date(field, &text); t != nil {
			return t.Format(time.RFC3339)
		}
	case "FILE_ATTACHMENT":
		if u, err := url.Parse(text); !isText || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.fail(field, "must be an absolute http or https URL.")
		}
	case "SELECT":
		if !isText || !slices.Contains(def.Options, text) {
			c.fail(field, "must be one of %s.", strings.Join(def.Options, ", "))
		}
	case "MULTISELECT":
		list, ok := v.([]any)
		for _, item := range list {
			if s, isString := item.(string); !isString || !slices.Contains(def.Options, s) {
				ok = false
			}
		}
		if !ok {
			c.fail(field, "must be a list of values among %s.", strings.Join(def.Options, ", "))
		}
	case "PART", "USER":
		id, err := ParseID(v)
		if err == nil && id > 0 {
			return id
		}
		c.fail(field, "must be the id of a %s.", map[string]string{"PART": "Part", "USER": "User"}[def.Type])
	case "RICH_TEXT":
		if _, isList := v.([]any); !isText && !isList {
			c.fail(field, "must be text or a rich-text document (a list of nodes).")
		}
	}
	return v
}

// number reads a JSON number, or text holding one.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil
	}
	return 0, false
}

// AttributeDefinitionService manages the organization's attribute
// definitions.
type AttributeDefinitionService interface {
	AttributeDefinitions(ctx context.Context, opts ListOptions) (*Page[AttributeDefinition], error)
	// SetAttributeDefinition creates the definition of key for entityType,
	// or changes it when it exists (then etag must be its current etag).
	SetAttributeDefinition(ctx context.Context, entityType, etag string, f AttributeDefinitionFields) (*AttributeDefinition, error)
}
