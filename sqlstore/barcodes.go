package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var barcodeTemplates = &table[shopfloor.BarcodeTemplate]{
	entity: "BarcodeTemplate", name: "barcode_templates", alias: "bt",
	selects: "bt.id, bt.org_id, bt.name, bt.entity_type, bt.template, bt.etag, bt.created_at, bt.updated_at, bt.created_by_id, bt.updated_by_id",
	fields: map[string]column{
		"id":         {"bt.id", kindID},
		"name":       {"bt.name", kindText},
		"entityType": {"bt.entity_type", kindEnum},
	},
	dest: func(v *shopfloor.BarcodeTemplate) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.EntityType, &v.Template, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var barcodeLabels = &table[shopfloor.BarcodeLabel]{
	entity: "BarcodeLabel", name: "barcode_labels", alias: "bl", kept: true,
	selects: "bl.id, bl.org_id, bl.entity_id, bl.template_id, bl.barcode, bl.etag, bl.created_at, bl.updated_at, bl.created_by_id, bl.updated_by_id",
	fields:  map[string]column{"id": {"bl.id", kindID}},
	dest: func(v *shopfloor.BarcodeLabel) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.TemplateID, &v.Barcode, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// entityNames reads the name of a live row of each kind of entity a
// barcode labels.
var entityNames = map[string]string{
	"Location": "SELECT name FROM locations WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
}

// BarcodeTemplates lists the caller's barcode templates.
func (s *Store) BarcodeTemplates(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.BarcodeTemplate], error) {
	return list(ctx, s, barcodeTemplates, opts)
}

// CreateBarcodeTemplate adds a template.
func (s *Store) CreateBarcodeTemplate(ctx context.Context, f shopfloor.BarcodeTemplateFields) (*shopfloor.BarcodeTemplate, error) {
	return mutate(ctx, s, barcodeTemplates, "CreateBarcodeTemplate", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		c.set("name", *f.Name)
		c.set("entity_type", *f.EntityType)
		c.set("template", *f.Template)
		return s.insert(ctx, tx, barcodeTemplates.name, p, c)
	})
}

// CreateBarcodeLabel fills a template in for the entity entityID names,
// which must be of the template's entity type.
func (s *Store) CreateBarcodeLabel(ctx context.Context, entityID, templateID int64) (*shopfloor.BarcodeLabel, error) {
	return mutate(ctx, s, barcodeLabels, "CreateBarcodeLabel", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		tpl, err := getIn(ctx, s, tx, barcodeTemplates, p, templateID)
		if err != nil {
			return 0, err
		}
		var kind string
		var rowID int64
		err = s.queryRow(ctx, tx, "SELECT kind, row_id FROM entities WHERE id = ? AND org_id = ?", entityID, p.OrgID).Scan(&kind, &rowID)
		if err == sql.ErrNoRows {
			return 0, shopfloor.NotFound("Entity", entityID)
		} else if err != nil {
			return 0, err
		}
		if want := shopfloor.BarcodeEntityTypes[tpl.EntityType]; kind != want {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "BarcodeLabel templateId %d labels %s, not entity %d (%s).", templateID, tpl.EntityType, entityID, kind)
		}
		var name string
		if err := s.queryRow(ctx, tx, entityNames[kind], rowID, p.OrgID).Scan(&name); err == sql.ErrNoRows {
			return 0, shopfloor.NotFound("Entity", entityID)
		} else if err != nil {
			return 0, err
		}
		var c changes
		c.set("entity_id", entityID)
		c.set("template_id", templateID)
		c.set("barcode", shopfloor.RenderBarcode(tpl.Template, entityID, rowID, name))
		return s.insert(ctx, tx, barcodeLabels.name, p, c)
	})
}
