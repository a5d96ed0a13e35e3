package shopfloor

import "testing"

func TestSplitCheck(t *testing.T) {
	t.Parallel()
	lot := PartInventory{ID: 1, PartID: 1, Quantity: 10, Status: "AVAILABLE", LotNumber: ptr("L1")}
	serial := lot
	serial.TrackingType = ptr("SERIAL")
	kitted := lot
	kitted.Status = "KITTED"
	for _, tc := range []struct {
		inv      PartInventory
		quantity float64
		want     string
	}{
		{lot, 4, ""},
		{lot, 9.999, ""},
		{lot, 10, "PartInventory quantity must be less than the inventory's quantity (10)."},
		{lot, 0, "PartInventory quantity must be greater than 0."},
		{lot, -1, "PartInventory quantity must be greater than 0."},
		{serial, 0.5, "PartInventory trackingType is SERIAL: a serial unit cannot be split."},
		{kitted, 1, "PartInventory status is KITTED: only AVAILABLE or UNAVAILABLE inventory can be split."},
	} {
		if got := errText(SplitCheck(&tc.inv, tc.quantity)); got != tc.want {
			t.Errorf("split %+v by %v: %q, want %q", tc.inv, tc.quantity, got, tc.want)
		}
	}
}

func TestMergeCheck(t *testing.T) {
	t.Parallel()
	into := PartInventory{ID: 1, PartID: 1, Quantity: 2, Status: "AVAILABLE", LocationID: ptr(int64(7)), LotNumber: ptr("L1")}
	with := func(id int64, change func(*PartInventory)) PartInventory {
		v := into
		v.ID = id
		change(&v)
		return v
	}
	same := with(2, func(*PartInventory) {})
	for _, tc := range []struct {
		from []PartInventory
		want string
	}{
		{[]PartInventory{same}, ""},
		{[]PartInventory{same, with(3, func(v *PartInventory) { v.Status = "UNAVAILABLE" })}, ""},
		{nil, "PartInventory partInventories is required."},
		{[]PartInventory{into}, "PartInventory partInventories must name each inventory once, and not the one merged into (1)."},
		{[]PartInventory{same, same}, "PartInventory partInventories must name each inventory once, and not the one merged into (2)."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.PartID = 9 })}, "PartInventory partId of 2 differs: merged inventory is of one part."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.LocationID = nil })}, "PartInventory locationId of 2 differs: merged inventory is at one location."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.LotNumber = ptr("L2") })}, "PartInventory lotNumber of 2 differs: merged inventory is of one lot."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.UnitOfMeasureID = ptr(int64(3)) })}, "PartInventory unitOfMeasureId of 2 differs: merged inventory counts in one unit."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.Status = "ON_ORDER" })}, "PartInventory status of 2 is ON_ORDER: only AVAILABLE or UNAVAILABLE inventory can be merged."},
		{[]PartInventory{with(2, func(v *PartInventory) { v.TrackingType = ptr("SERIAL") })}, "PartInventory trackingType is SERIAL: serial units cannot be merged."},
	} {
		if got := errText(MergeCheck(&into, tc.from)); got != tc.want {
			t.Errorf("merge %+v: %q, want %q", tc.from, got, tc.want)
		}
	}
}

func TestAddQuantities(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{0.1, 0.2}, 0.3},
		{[]float64{0.3, -0.1}, 0.2},
		{[]float64{10, -3.3}, 6.7},
		{[]float64{1e21, 1}, 1e21 + 1},
		{nil, 0},
	} {
		if got := AddQuantities(tc.in...); got != tc.want {
			t.Errorf("AddQuantities(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
