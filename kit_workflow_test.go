package shopfloor

import (
	"reflect"
	"testing"
)

func TestKitFromMbom(t *testing.T) {
	t.Parallel()
	mbom := []MBomItem{{PartID: 1, Quantity: 0.1}, {PartID: 2, Quantity: 2}, {PartID: 3, Quantity: 0.5}}
	for _, c := range []struct {
		name          string
		times         float64
		items         []PartKitItem
		merged, added []PartKitItem
	}{
		{"an empty kit gets every item", 1, nil, nil,
			[]PartKitItem{{PartID: 1, Quantity: 0.1}, {PartID: 2, Quantity: 2}, {PartID: 3, Quantity: 0.5}}},
		{"quantities multiply exactly", 3, nil, nil,
			[]PartKitItem{{PartID: 1, Quantity: 0.3}, {PartID: 2, Quantity: 6}, {PartID: 3, Quantity: 1.5}}},
		{"a part on the kit adds to its first item", 1,
			[]PartKitItem{{ID: 7, PartID: 1, Quantity: 0.2}, {ID: 8, PartID: 1, Quantity: 5}, {ID: 9, PartID: 4, Quantity: 1}},
			[]PartKitItem{{ID: 7, PartID: 1, Quantity: 0.3}},
			[]PartKitItem{{PartID: 2, Quantity: 2}, {PartID: 3, Quantity: 0.5}}},
	} {
		merged, added := KitFromMbom(mbom, c.times, c.items)
		if !reflect.DeepEqual(merged, c.merged) || !reflect.DeepEqual(added, c.added) {
			t.Errorf("%s: merged %+v added %+v", c.name, merged, added)
		}
	}
}

func TestSplitUnfulfilled(t *testing.T) {
	t.Parallel()
	items := []PartKitItem{{ID: 1, PartID: 10, Quantity: 1.4}, {ID: 2, PartID: 20, Quantity: 8}, {ID: 3, PartID: 30, Quantity: 0.5}, {ID: 4, PartID: 40, Quantity: 2}}
	got, err := SplitUnfulfilled(5, items, map[int64]float64{1: 0.4, 2: 5, 4: 3})
	want := KitSplit{
		Keep:       []PartKitItem{{ID: 1, PartID: 10, Quantity: 0.4}, {ID: 2, PartID: 20, Quantity: 5}},
		Remainders: []PartKitItem{{PartID: 10, Quantity: 1}, {PartID: 20, Quantity: 3}},
		Move:       []int64{3},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := SplitUnfulfilled(5, items[3:], map[int64]float64{4: 2}); err == nil ||
		err.Error() != "PartKit partKitItems must have an unfulfilled quantity to split: every item of kit 5 is fulfilled." {
		t.Fatalf("a fulfilled kit: %v", err)
	}
}
