package demo

import (
	"context"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

func ptr[T any](v T) *T { return &v }

// seedFloor creates an organization's locations, subtypes, units, parts
// (with attributes) and inventory, and a revision when the spec asks, as
// its admin.
func seedFloor(ctx context.Context, s *sqlstore.Store, spec orgSpec, files Blobs) error {
	warehouse, err := s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("Main Warehouse"), LocationType: ptr("WAREHOUSE")})
	if err != nil {
		return err
	}
	var shelves []int64
	for _, rack := range []string{"A", "B"} {
		r, err := s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("Rack " + rack), LocationType: ptr("RACK"), ParentID: &warehouse.ID})
		if err != nil {
			return err
		}
		for n := 1; n <= 2; n++ {
			sh, err := s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr(fmt.Sprintf("Shelf %s%d", rack, n)), LocationType: ptr("SHELF"), ParentID: &r.ID})
			if err != nil {
				return err
			}
			shelves = append(shelves, sh.ID)
		}
	}
	quarantine, err := s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("Quarantine"), LocationType: ptr("TOTE"), InventoryAvailable: ptr(false)})
	if err != nil {
		return err
	}
	var subtypes []int64
	for _, name := range []string{"Fastener", "Electronics", "Structure", "Consumable"} {
		st, err := s.CreatePartSubtype(ctx, shopfloor.PartSubtypeFields{Name: ptr(name), Description: ptr(name + " parts")})
		if err != nil {
			return err
		}
		subtypes = append(subtypes, st.ID)
	}
	each, err := s.CreateUnitOfMeasurement(ctx, shopfloor.UnitOfMeasurementFields{Type: ptr("each")})
	if err != nil {
		return err
	}
	kg, err := s.CreateUnitOfMeasurement(ctx, shopfloor.UnitOfMeasurementFields{Type: ptr("kg")})
	if err != nil {
		return err
	}
	var first *shopfloor.Part // revised last, so the other parts keep their ids
	kinds := []struct {
		noun, tracking string
	}{{"Bracket", "SERIAL"}, {"Bolt M6", "LOT"}, {"Harness", ""}, {"Controller board", "SERIAL"}, {"Panel", ""}}
	for i := range spec.parts {
		k := kinds[i%len(kinds)]
		f := shopfloor.PartFields{
			PartNumber:  ptr(fmt.Sprintf("%s-%04d", spec.prefix, 1000+i)),
			Description: ptr(fmt.Sprintf("%s, variant %d", k.noun, i/len(kinds)+1)),
			Cost:        ptr(float64(5 + i%17*3)),
			LeadTime:    ptr(float64(7 + i%4*7)),
			Attributes: &shopfloor.Attributes{
				{Key: "Material", Type: ptr("STRING"), Value: []string{"6061-T6", "Steel", "FR-4"}[i%3]},
				{Key: "Mass (g)", Type: ptr("NUMBER"), Value: float64(10 + i%7*15)},
			},
		}
		if k.tracking != "" {
			f.TrackingType = ptr(k.tracking)
		}
		p, err := s.CreatePart(ctx, f)
		if err != nil {
			return err
		}
		if p, err = s.AddSubtypeToPart(ctx, p.ID, subtypes[i%len(subtypes)], p.Etag); err != nil {
			return err
		}
		if i == 0 {
			first = p
			if files != nil {
				if err := seedFiles(ctx, s, files, p); err != nil {
					return err
				}
			}
		}
		for n := range 1 + i%3 {
			inv := shopfloor.PartInventoryFields{PartID: &p.ID, LocationID: &shelves[(i+n)%len(shelves)], Cost: f.Cost, UnitOfMeasureID: &each.ID}
			switch k.tracking {
			case "SERIAL":
				inv.SerialNumber = ptr(fmt.Sprintf("SN-%s-%04d-%d", spec.prefix, i, n))
			case "LOT":
				inv.LotNumber, inv.Quantity = ptr(fmt.Sprintf("LOT-%d", 100+n)), ptr(float64(50*(n+1)))
				inv.UnitOfMeasureID = &kg.ID
			default:
				inv.Quantity = ptr(float64(2 + n))
			}
			if i%11 == 0 && n == 0 {
				inv.LocationID = &quarantine.ID
			}
			if _, err := s.CreatePartInventory(ctx, inv); err != nil {
				return err
			}
		}
	}
	if spec.revised {
		_, err = s.CreatePartRevision(ctx, first.ID, first.Etag, nil)
	}
	return err
}
