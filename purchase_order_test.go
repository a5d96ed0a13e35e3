package shopfloor

import (
	"errors"
	"slices"
	"testing"
)

func TestPurchaseOrderTransition(t *testing.T) {
	t.Parallel()
	gate := Errorf(CodeForbidden, "Approval gate not satisfied: approving purchase order 1 still needs 1 of 1 approvals from role 'Buyer'.")
	lines := PurchaseOrderFacts{OpenLines: 1}
	for _, tc := range []struct {
		from, to string
		facts    PurchaseOrderFacts
		want     string
	}{
		{PODraft, PORequested, lines, ""},
		{PODraft, POApproved, lines, ""},
		{PODraft, POCanceled, lines, ""},
		{PODraft, PODraft, lines, ""},
		{PODraft, POOrdered, lines, "PurchaseOrder status cannot change from DRAFT to ORDERED."},
		{PODraft, PORequested, PurchaseOrderFacts{}, "PurchaseOrder status cannot be REQUESTED without lines to order."},
		{PODraft, POCanceled, PurchaseOrderFacts{}, ""},
		{PORequested, POApproved, PurchaseOrderFacts{OpenLines: 1, Approval: gate}, gate.Message},
		{PORequested, PODraft, lines, ""},
		{PORequested, POOrdered, lines, "PurchaseOrder status cannot change from REQUESTED to ORDERED."},
		{POApproved, POOrdered, lines, ""},
		{POApproved, PORequested, lines, "PurchaseOrder status cannot change from APPROVED to REQUESTED."},
		{POOrdered, PODraft, lines, ""},
		{POOrdered, POCanceled, lines, ""},
		{POOrdered, POApproved, lines, "PurchaseOrder status cannot change from ORDERED to APPROVED."},
		{POPartiallyReceived, PODraft, lines, ""},
		{POPartiallyReceived, POCanceled, lines, "PurchaseOrder status cannot change from PARTIALLY_RECEIVED to CANCELED."},
		{POReceived, PODraft, lines, "PurchaseOrder status cannot change from RECEIVED to DRAFT."},
		{POReceived, POReceived, lines, "PurchaseOrder status RECEIVED is calculated from its lines and cannot be set."},
		{POOrdered, POPartiallyReceived, lines, "PurchaseOrder status PARTIALLY_RECEIVED is calculated from its lines and cannot be set."},
		{POCanceled, PODraft, lines, ""},
		{POCanceled, POOrdered, lines, "PurchaseOrder status cannot change from CANCELED to ORDERED."},
	} {
		err := PurchaseOrderTransition(tc.from, tc.to, tc.facts)
		if got := errText(err); got != tc.want {
			t.Errorf("%s -> %s: got %q, want %q", tc.from, tc.to, got, tc.want)
		}
		if tc.want == gate.Message && !errors.Is(err, gate) {
			t.Errorf("the gate's own 403 is not returned: %v", err)
		}
	}
}

func TestPurchaseOrderLineStatusChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		po, line, to, want string
	}{
		{POOrdered, POOrdered, POCanceled, ""},
		{PODraft, PODraft, POCanceled, ""},
		{PODraft, POCanceled, PODraft, ""},
		{POCanceled, POCanceled, POCanceled, ""},
		{POOrdered, POCanceled, PODraft, "PurchaseOrderLine can only be uncanceled while its purchase order is DRAFT; it is ORDERED."},
		{POPartiallyReceived, POReceived, POCanceled, "PurchaseOrderLine status cannot change from RECEIVED to CANCELED."},
		{POOrdered, POOrdered, PODraft, "PurchaseOrderLine status cannot change from ORDERED to DRAFT."},
		{POOrdered, POOrdered, POReceived, "PurchaseOrderLine status can only be set to CANCELED, or to DRAFT to uncancel it."},
	} {
		if got := errText(PurchaseOrderLineStatusChange(tc.po, tc.line, tc.to)); got != tc.want {
			t.Errorf("%s/%s -> %s: got %q, want %q", tc.po, tc.line, tc.to, got, tc.want)
		}
	}
	for _, tc := range []struct{ po, line, want string }{
		{POOrdered, POOrdered, ""},
		{POPartiallyReceived, POOrdered, ""},
		{POApproved, PODraft, "PurchaseOrderLine can only be received while its purchase order is ORDERED; it is APPROVED."},
		{POOrdered, POCanceled, "PurchaseOrderLine status is CANCELED: a canceled line cannot be received."},
	} {
		if got := errText(ReceiveCheck(tc.po, tc.line)); got != tc.want {
			t.Errorf("receive %s/%s: got %q, want %q", tc.po, tc.line, got, tc.want)
		}
	}
}

// Approval levels apply from their threshold on, to the cent.
func TestPurchaseOrderRequirements(t *testing.T) {
	t.Parallel()
	levels := []ApprovalLevel{{RoleID: 1, RoleName: "Buyer", ThresholdCents: 100000}, {RoleID: 2, RoleName: "CFO", ThresholdCents: 2500000}}
	for _, tc := range []struct {
		total int64
		want  int
	}{{99999, 0}, {100000, 1}, {2499999, 1}, {2500000, 2}} {
		if got := len(PurchaseOrderRequirements(levels, tc.total)); got != tc.want {
			t.Errorf("total %d cents: %d levels apply, want %d", tc.total, got, tc.want)
		}
	}
}

// Floats become exact scaled integers from their shortest decimal, and
// back.
func TestScaled(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    float64
		scale int64
		want  int64
		err   string
	}{
		{19.99, CentScale, 1999, ""},
		{0.30000000000000004, CentScale, 0, "X f must have at most 2 decimal places."}, // 0.1 + 0.2 in floats
		{0.0825, UnitCostScale, 825, ""},
		{1e6, QuantityScale, 1e9, ""},
		{12.5, QuantityScale, 12500, ""},
		{-0.01, CentScale, 0, "X f must be greater than or equal to 0."},
		{1e6 + 1, CentScale, 0, "X f must be at most 1000000."},
	} {
		c := &check{entity: "X"}
		got := c.scaled("f", &tc.in, tc.scale, MaxAmount)
		if errText(c.result()) != tc.err || (tc.err == "" && *got != tc.want) {
			t.Errorf("%v at scale %d: got %v %v, want %d %q", tc.in, tc.scale, got, c.result(), tc.want, tc.err)
		}
	}
	for _, tc := range []struct {
		v, scale int64
		want     string
	}{{6027, CentScale, "60.27"}, {2500, QuantityScale, "2.5"}, {7, UnitCostScale, "0.0007"}, {0, CentScale, "0"}, {-150, CentScale, "-1.5"}} {
		if got := FormatScaled(tc.v, tc.scale); got != tc.want {
			t.Errorf("FormatScaled(%d, %d) = %s, want %s", tc.v, tc.scale, got, tc.want)
		}
	}
}

func TestApprovalsReset(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   string
		old, new int64
		want     bool
	}{
		{PODraft, 500000, 500001, true},
		{PODraft, 500000, 499999, true},
		{PORequested, 500000, 600000, true},
		{PODraft, 500000, 500000, false},
		{POApproved, 500000, 400000, false},
		{POOrdered, 500000, 400000, false},
		{POCanceled, 500000, 0, false},
	} {
		if got := ApprovalsReset(tc.status, tc.old, tc.new); got != tc.want {
			t.Errorf("ApprovalsReset(%s, %d, %d) = %v, want %v", tc.status, tc.old, tc.new, got, tc.want)
		}
	}
}

// The store scans every row of a list into one value and keeps copies: a
// scan must leave the list it read before as it was.
func TestScannedListsAreFresh(t *testing.T) {
	t.Parallel()
	var roles RoleIDs
	var attrs Attributes
	var names StringList
	scan := func(roleIDs, attributes, strings string) {
		t.Helper()
		if err := errors.Join(roles.Scan(roleIDs), attrs.Scan(attributes), names.Scan(strings)); err != nil {
			t.Fatal(err)
		}
	}
	scan(`[1,2]`, `[{"key":"a","type":"TEXT","value":"x"}]`, `["p","q"]`)
	firstRoles, firstAttrs, firstNames := roles, attrs, names
	scan(`[3,4]`, `[{"key":"b","type":"TEXT","value":"y"}]`, `["r","s"]`)
	if !slices.Equal(firstRoles, RoleIDs{1, 2}) || firstAttrs[0].Key != "a" || !slices.Equal(firstNames, StringList{"p", "q"}) {
		t.Errorf("the second scan changed the first's lists: %v %v %v", firstRoles, firstAttrs, firstNames)
	}
}
