package shopfloor

import (
	"cmp"
	_ "embed"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Permission is one of ION's permission groups: the PascalCase name of the
// mutation it allows, such as "CreatePurchaseOrder". Permissions attach to
// roles; reads generally need none.
type Permission string

// PermissionGroup is a permission as ION lists it: its family, and ION's own
// id, the same in every organization and release.
type PermissionGroup struct {
	ID     int64
	Name   string
	Family string
}

// permissionGroupsCSV is ION's public dump of its permission groups
// (id,name,family; 301 rows).
//
//go:embed permission_groups.csv
var permissionGroupsCSV string

// permissionCatalog is the dump, by id.
var permissionCatalog = func() []PermissionGroup {
	rows, err := csv.NewReader(strings.NewReader(permissionGroupsCSV)).ReadAll()
	if err != nil {
		panic("shopfloor: permission_groups.csv: " + err.Error())
	}
	out := make([]PermissionGroup, 0, len(rows)-1)
	for _, r := range rows[1:] {
		id, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			panic("shopfloor: permission_groups.csv: " + err.Error())
		}
		out = append(out, PermissionGroup{ID: id, Name: r[1], Family: r[2]})
	}
	slices.SortFunc(out, func(a, b PermissionGroup) int { return cmp.Compare(a.ID, b.ID) })
	return out
}()

var permissionFamily = func() map[Permission]string {
	m := make(map[Permission]string, len(permissionCatalog))
	for _, g := range permissionCatalog {
		m[Permission(g.Name)] = g.Family
	}
	return m
}()

// PermissionGroups lists the catalog as permission groups, by id.
func PermissionGroups() []PermissionGroup { return slices.Clone(permissionCatalog) }

// AllPermissions lists every permission of the catalog, as granted to Admin.
func AllPermissions() []Permission {
	all := make([]Permission, len(permissionCatalog))
	for i, g := range permissionCatalog {
		all[i] = Permission(g.Name)
	}
	return all
}

// Known reports whether p is in the catalog.
func (p Permission) Known() bool { _, ok := permissionFamily[p]; return ok }

// Verb is the action p performs as named in a 403 message: CREATE, DELETE or UPDATE.
func (p Permission) Verb() string {
	switch {
	case strings.HasPrefix(string(p), "Create"):
		return "CREATE"
	case strings.HasPrefix(string(p), "Delete"):
		return "DELETE"
	default:
		return "UPDATE"
	}
}

// familyTitles names families whose title is not their words split apart.
var familyTitles = map[string]string{
	"APIKeyObject":   "API Key",
	"ABomItem":       "ABOM Item",
	"MBomItem":       "MBOM Item",
	"MBomSubstitute": "MBOM Substitute",
	"MRPJob":         "MRP Job",
}

// Resource is the human name of the resource p acts on, as named in a 403
// message: "Purchase Order" for UpdatePurchaseOrder.
func (p Permission) Resource() string {
	family := permissionFamily[p]
	if t, ok := familyTitles[family]; ok {
		return t
	}
	var b strings.Builder
	for i, r := range family {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
