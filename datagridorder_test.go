package shopfloor

import (
	"fmt"
	"testing"
)

func TestDatagridMove(t *testing.T) {
	t.Parallel()
	order := []int64{10, 11, 12, 13}
	at := func(i int) DatagridPlace { return DatagridPlace{Index: &i} }
	after := func(id int64) DatagridPlace { return DatagridPlace{PrevID: &id} }
	two := 2
	for _, tc := range []struct {
		name  string
		id    int64
		place DatagridPlace
		want  string
	}{
		{"to the front", 12, at(0), "[12 10 11 13]"},
		{"to the end", 10, at(3), "[11 12 13 10]"},
		{"in place", 11, at(1), "[10 11 12 13]"},
		{"past the end", 10, at(4), "DatagridColumn index must be between 0 and 3."},
		{"negative", 10, at(-1), "DatagridColumn index must be between 0 and 3."},
		{"after the last", 10, after(13), "[11 12 13 10]"},
		{"after an earlier one", 13, after(10), "[10 13 11 12]"},
		{"no prevId: first", 13, DatagridPlace{}, "[13 10 11 12]"},
		{"after itself", 11, after(11), "DatagridColumn prevId must not be the column itself."},
		{"after another step's", 11, after(99), "DatagridColumn prevId must be a column of the same step."},
		{"both", 11, DatagridPlace{Index: &two, PrevID: ptr(int64(10))}, "DatagridColumn index and prevId cannot both be given."},
	} {
		moved, err := DatagridMove("DatagridColumn", "column", order, tc.id, tc.place)
		got := errText(err)
		if err == nil {
			got = fmt.Sprint(moved)
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	if fmt.Sprint(order) != "[10 11 12 13]" {
		t.Fatalf("the order given changed: %v", order)
	}
}
