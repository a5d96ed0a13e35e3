package shopfloor

import (
	"reflect"
	"testing"
)

func TestMBomParents(t *testing.T) {
	t.Parallel()
	depth := func(ds ...int) []MBomRow {
		var rows []MBomRow
		for _, d := range ds {
			rows = append(rows, MBomRow{Depth: ptr(d)})
		}
		return rows
	}
	level := func(ls ...string) []MBomRow {
		var rows []MBomRow
		for _, l := range ls {
			rows = append(rows, MBomRow{Level: ptr(l)})
		}
		return rows
	}
	for _, tc := range []struct {
		name     string
		notation string
		rows     []MBomRow
		parents  []int
		errs     map[int]string
	}{
		{"depth tree", MBomImportDepth, depth(0, 1, 2, 1, 2), []int{-1, 0, 1, 0, 3}, map[int]string{}},
		{"depth gap", MBomImportDepth, depth(0, 2), []int{-1, -1}, map[int]string{1: "depth 2 has no parent row of depth 1 above it."}},
		{"negative depth", MBomImportDepth, depth(-1), []int{-1}, map[int]string{0: "depth must be 0 or greater."}},
		{"level tree", MBomImportLevel, level("1", "1.1", "1.1.1", "1.2"), []int{-1, 0, 1, 0}, map[int]string{}},
		{"level gap", MBomImportLevel, level("1", "1.3.1"), []int{-1, -1}, map[int]string{1: "level 1.3.1 has no parent row of level 1.3 above it."}},
		{"bad level", MBomImportLevel, level("1", "1..2", ""), []int{-1, -1, -1},
			map[int]string{1: "level must be dot-separated numbers such as 1.2.1.", 2: "level must be dot-separated numbers such as 1.2.1."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parents, errs := MBomParents(tc.notation, tc.rows)
			if !reflect.DeepEqual(parents, tc.parents) || !reflect.DeepEqual(errs, tc.errs) {
				t.Fatalf("got %v %v, want %v %v", parents, errs, tc.parents, tc.errs)
			}
		})
	}
}

func TestMBomItemValidate(t *testing.T) {
	t.Parallel()
	id := ptr(int64(1))
	for _, tc := range []struct {
		f      MBomItemFields
		create bool
		want   string
	}{
		{MBomItemFields{ParentID: id, PartID: id}, true, ""},
		{MBomItemFields{PartID: id}, true, "MBomItem parentId is required."},
		{MBomItemFields{ParentID: id}, true, "MBomItem partId is required."},
		{MBomItemFields{ParentID: id, PartID: id, Quantity: ptr(0.0)}, true, "MBomItem quantity must be greater than 0."},
		{MBomItemFields{Quantity: ptr(-2.0)}, false, "MBomItem quantity must be greater than 0."},
		{MBomItemFields{}, false, ""},
	} {
		if got := errText(tc.f.Validate(tc.create)); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.f, got, tc.want)
		}
	}
	if got := errText(MBomCycle("A", "B > A")); got != "MBomItem partId would make a cycle: A > B > A." {
		t.Errorf("cycle: %q", got)
	}
}
