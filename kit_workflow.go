package shopfloor

import (
	"math/big"
	"strconv"
	"unicode/utf8"
)

// KitForRunFields make a kit for a run: its part's mBOM items become the
// kit's items.
type KitForRunFields struct {
	RunID              *int64
	Name               *string
	StagingLocationID  *int64
	DeliveryLocationID *int64
}

// Validate validates the fields of createKitForRun.
func (f *KitForRunFields) Validate() error {
	c := &check{entity: "PartKit"}
	if f.RunID == nil {
		c.fail("runId", "is required.")
	}
	c.text("name", f.Name, false, MaxName)
	return c.result()
}

// KitName is the name of the kit: the one given, else "Kit for" the run's
// title (the title alone when that would be too long).
func (f *KitForRunFields) KitName(runTitle string) string {
	if f.Name != nil && *f.Name != "" {
		return *f.Name
	}
	if name := "Kit for " + runTitle; utf8.RuneCountInString(name) <= MaxName {
		return name
	}
	return runTitle
}

// KitFromMbomFields add a part's mBOM items to a kit, Quantity assemblies'
// worth (1 by default); the part is the kit's run's by default.
type KitFromMbomFields struct {
	PartKitID *int64
	PartID    *int64
	Quantity  *float64
}

// Validate validates the fields of addPartsToKitFromMbom.
func (f *KitFromMbomFields) Validate() error {
	c := &check{entity: "PartKit"}
	if f.PartKitID == nil {
		c.fail("partKitId", "is required.")
	}
	c.positive("quantity", f.Quantity)
	return c.result()
}

// MultiplyQuantities multiplies quantities as the decimals they print as,
// exactly: 0.1 × 3 is 0.3.
func MultiplyQuantities(a, b float64) float64 {
	x, _ := new(big.Rat).SetString(strconv.FormatFloat(a, 'g', -1, 64))
	y, _ := new(big.Rat).SetString(strconv.FormatFloat(b, 'g', -1, 64))
	f, _ := x.Mul(x, y).Float64()
	return f
}

// KitFromMbom is what adding mbom (one assembly's items) times times to a
// kit holding items does: the items whose part is already on the kit, with
// their new quantity (the first item of a part takes it), and the items to
// add (PartID and Quantity set), in mbom's order.
func KitFromMbom(mbom []MBomItem, times float64, items []PartKitItem) (merged, added []PartKitItem) {
	first := make(map[int64]int, len(items)) // part → index in onKit
	var onKit []PartKitItem
	for _, it := range items {
		if _, ok := first[it.PartID]; !ok {
			first[it.PartID] = len(onKit)
			onKit = append(onKit, it)
		}
	}
	touched := make([]bool, len(onKit))
	for _, m := range mbom {
		q := MultiplyQuantities(m.Quantity, times)
		if i, ok := first[m.PartID]; ok {
			onKit[i].Quantity = AddQuantities(onKit[i].Quantity, q)
			touched[i] = true
			continue
		}
		added = append(added, PartKitItem{PartID: m.PartID, Quantity: q})
	}
	for i, it := range onKit {
		if touched[i] {
			merged = append(merged, it)
		}
	}
	return merged, added
}

// KitSplit is how splitUnfulfilledPartKit divides a kit's items.
type KitSplit struct {
	// Keep are the partly issued items, with their quantity cut to what
	// was issued; Remainders are their unfulfilled rest, for the new kit
	// (PartID and Quantity set).
	Keep, Remainders []PartKitItem
	// Move are the items nothing was issued to: they go to the new kit whole.
	Move []int64
}

// SplitUnfulfilled divides items by issued (the quantity issued to each
// item, by id): what was issued stays, the rest goes to a new kit; fulfilled
// items stay as they are. A kit with nothing unfulfilled is a 422.
func SplitUnfulfilled(kitID int64, items []PartKitItem, issued map[int64]float64) (KitSplit, error) {
	var s KitSplit
	for _, it := range items {
		got := issued[it.ID]
		switch {
		case got <= 0:
			s.Move = append(s.Move, it.ID)
		case got < it.Quantity:
			s.Remainders = append(s.Remainders, PartKitItem{PartID: it.PartID, Quantity: AddQuantities(it.Quantity, -got)})
			it.Quantity = got
			s.Keep = append(s.Keep, it)
		}
	}
	if len(s.Move) == 0 && len(s.Remainders) == 0 {
		return s, Errorf(CodeInvalid, "PartKit partKitItems must have an unfulfilled quantity to split: every item of kit %d is fulfilled.", kitID)
	}
	return s, nil
}

// KitOpenCheck is nil while kit may change its inventory, and otherwise the
// 422 naming its status; what names the change ("split", "moved").
func KitOpenCheck(kit *PartKit, what string) error {
	if KitOpen(kit.Status) {
		return nil
	}
	return Errorf(CodeInvalid, "PartKit status must be open (not COMPLETED or CANCELED) for the kit to be %s: kit %d is %s.", what, kit.ID, kit.Status)
}

// KitDeliveredBy is the status of kit once its inventory moved to
// locationID: DELIVERED at its delivery location, as it was elsewhere.
func KitDeliveredBy(kit *PartKit, locationID int64) string {
	if kit.DeliveryLocationID != nil && *kit.DeliveryLocationID == locationID {
		return KitDelivered
	}
	return kit.Status
}
