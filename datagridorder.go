package shopfloor

import "slices"

// DatagridPlace is where a column or row moves among its step's: to Index
// (from 0), or else right after PrevID (nil: first), the linked shape's
// prevId.
type DatagridPlace struct {
	Index  *int
	PrevID *int64
}

// DatagridMove returns order (the ids of a step's columns or rows, first to
// last) with id moved to place; entity ("DatagridColumn") and noun
// ("column") name the items in messages.
func DatagridMove(entity, noun string, order []int64, id int64, place DatagridPlace) ([]int64, error) {
	c := &check{entity: entity}
	rest := slices.DeleteFunc(slices.Clone(order), func(v int64) bool { return v == id })
	at := 0
	switch {
	case place.Index != nil && place.PrevID != nil:
		c.fail("index", "and prevId cannot both be given.")
	case place.Index != nil:
		if at = *place.Index; at < 0 || at > len(rest) {
			c.fail("index", "must be between 0 and %d.", len(rest))
		}
	case place.PrevID != nil && *place.PrevID == id:
		c.fail("prevId", "must not be the %s itself.", noun)
	case place.PrevID != nil:
		if at = slices.Index(rest, *place.PrevID) + 1; at == 0 {
			c.fail("prevId", "must be a %s of the same step.", noun)
		}
	}
	if err := c.result(); err != nil {
		return nil, err
	}
	return slices.Insert(rest, at, id), nil
}
