package shopfloor

import (
	"math/big"
	"slices"
	"strconv"
)

// MaxMergeInventories is the most inventory rows one merge takes in.
const MaxMergeInventories = 100

// splittable are the statuses of inventory that may be split or merged:
// stock nothing holds (on order, kitted, in a run, installed or scrapped
// inventory follows what holds it).
var splittable = []string{"AVAILABLE", "UNAVAILABLE"}

// SplitCheck is nil when inventory inv (read with its status) may be split
// into a new row of quantity, leaving it the rest: a lot or untracked
// stock that nothing holds, and a quantity above 0 and below its own.
func SplitCheck(inv *PartInventory, quantity float64) error {
	c := &check{entity: "PartInventory"}
	switch {
	case inv.TrackingType != nil && *inv.TrackingType == "SERIAL":
		c.fail("trackingType", "is SERIAL: a serial unit cannot be split.")
	case !slices.Contains(splittable, inv.Status):
		c.fail("status", "is %s: only AVAILABLE or UNAVAILABLE inventory can be split.", inv.Status)
	case !(quantity > 0):
		c.fail("quantity", "must be greater than 0.")
	case !(quantity < inv.Quantity):
		c.fail("quantity", "must be less than the inventory's quantity (%s).", FormatQuantity(inv.Quantity))
	}
	return c.result()
}

// MergeCheck is nil when inventories from may be merged into inventory
// into (all read with their status): rows of one part, location, lot
// number and unit, none serial-tracked, none held by anything, each named
// once and not the row merged into.
func MergeCheck(into *PartInventory, from []PartInventory) error {
	c := &check{entity: "PartInventory"}
	if len(from) == 0 {
		c.fail("partInventories", "is required.")
	}
	c.count("partInventories", len(from), MaxMergeInventories)
	seen := map[int64]bool{}
	for i, inv := range append([]PartInventory{*into}, from...) {
		switch {
		case c.err != nil:
		case i > 0 && seen[inv.ID]:
			c.fail("partInventories", "must name each inventory once, and not the one merged into (%d).", inv.ID)
		case inv.TrackingType != nil && *inv.TrackingType == "SERIAL":
			c.fail("trackingType", "is SERIAL: serial units cannot be merged.")
		case !slices.Contains(splittable, inv.Status):
			c.fail("status", "of %d is %s: only AVAILABLE or UNAVAILABLE inventory can be merged.", inv.ID, inv.Status)
		case inv.PartID != into.PartID:
			c.fail("partId", "of %d differs: merged inventory is of one part.", inv.ID)
		case !equalPtr(inv.LocationID, into.LocationID):
			c.fail("locationId", "of %d differs: merged inventory is at one location.", inv.ID)
		case !equalPtr(inv.LotNumber, into.LotNumber):
			c.fail("lotNumber", "of %d differs: merged inventory is of one lot.", inv.ID)
		case !equalPtr(inv.UnitOfMeasureID, into.UnitOfMeasureID):
			c.fail("unitOfMeasureId", "of %d differs: merged inventory counts in one unit.", inv.ID)
		}
		seen[inv.ID] = true
	}
	return c.result()
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// AddQuantities sums quantities as the decimals they print as, exactly, so
// a split or a merge keeps the total: 0.1 + 0.2 is 0.3, and 0.3 − 0.1 is 0.2.
func AddQuantities(quantities ...float64) float64 {
	sum := new(big.Rat)
	for _, q := range quantities {
		r, _ := new(big.Rat).SetString(strconv.FormatFloat(q, 'g', -1, 64))
		sum.Add(sum, r)
	}
	f, _ := sum.Float64()
	return f
}

// FormatQuantity writes a quantity as the shortest decimal that is it.
func FormatQuantity(q float64) string { return strconv.FormatFloat(q, 'f', -1, 64) }
