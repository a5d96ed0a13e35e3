package shopfloor

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// BarcodeTemplate is a label design for one kind of entity: a ZPL program
// whose placeholders ({{entityId}}, {{id}}, {{name}}) a label fills in.
type BarcodeTemplate struct {
	ID          int64
	OrgID       int64
	Name        string
	EntityType  string // BarcodeEntityTypes
	Template    string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// BarcodeLabel is a template filled in for one entity: Barcode is the ZPL a
// client sends raw to a label printer.
type BarcodeLabel struct {
	ID          int64
	OrgID       int64
	EntityID    int64
	TemplateID  int64
	Barcode     string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// BarcodeEntityTypes maps a template's entity type (ION's plural) to the
// kind of entity (its entityId's) it labels.
var BarcodeEntityTypes = map[string]string{"LOCATIONS": "Location"}

// DefaultBarcodeTemplate is the ZPL of a template made without one: a
// Code 128 barcode of the entityId over the entity's name.
const DefaultBarcodeTemplate = "^XA^FO50,40^BY2^BCN,100,Y,N,N^FD{{entityId}}^FS^FO50,190^A0N,36,36^FD{{name}}^FS^XZ"

// BarcodeTemplateMax is the longest template, in characters.
const BarcodeTemplateMax = 16384

// BarcodeTemplateFields are the writable fields of a template.
type BarcodeTemplateFields struct {
	Name       *string
	EntityType *string
	Template   *string
}

// Validate normalizes and validates a new template.
func (f *BarcodeTemplateFields) Validate() error {
	c := &check{entity: "BarcodeTemplate"}
	c.text("name", f.Name, true, MaxName)
	if f.EntityType == nil {
		c.fail("entityType", "is required.")
	}
	c.enum("entityType", f.EntityType, slices.Sorted(maps.Keys(BarcodeEntityTypes))...)
	c.text("template", f.Template, false, BarcodeTemplateMax)
	if f.Template == nil || *f.Template == "" {
		f.Template = ptr(DefaultBarcodeTemplate)
	}
	return c.result()
}

// RenderBarcode fills a template's placeholders in. ZPL's command
// characters (^ and ~) in the entity's values become spaces, so a name
// cannot change the program.
func RenderBarcode(template string, entityID, id int64, name string) string {
	clean := strings.NewReplacer("^", " ", "~", " ")
	return strings.NewReplacer(
		"{{entityId}}", strconv.FormatInt(entityID, 10),
		"{{id}}", strconv.FormatInt(id, 10),
		"{{name}}", clean.Replace(name),
	).Replace(template)
}

// BarcodeService manages barcode templates and labels.
type BarcodeService interface {
	BarcodeTemplates(ctx context.Context, opts ListOptions) (*Page[BarcodeTemplate], error)
	CreateBarcodeTemplate(ctx context.Context, f BarcodeTemplateFields) (*BarcodeTemplate, error)
	// CreateBarcodeLabel fills a template in for the entity entityId names.
	CreateBarcodeLabel(ctx context.Context, entityID, templateID int64) (*BarcodeLabel, error)
}
