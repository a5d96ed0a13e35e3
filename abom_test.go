package shopfloor

import "testing"

func TestCheckInstallation(t *testing.T) {
	t.Parallel()
	ok := InstallFacts{RequirementPartID: 7, Substitutes: []int64{8}, StillNeeded: 3, UnitID: 40, UnitPartID: 7, NotInstalled: 2}
	with := func(change func(*InstallFacts)) InstallFacts {
		f := ok
		change(&f)
		return f
	}
	for _, tc := range []struct {
		name    string
		qty     float64
		facts   InstallFacts
		message string
	}{
		{"fits", 2, ok, ""},
		{"a substitute", 1, with(func(f *InstallFacts) { f.UnitPartID = 8 }), ""},
		{"a lot installed twice", 1, with(func(f *InstallFacts) { f.Installations = 1 }), ""},
		{"zero", 0, ok, "ABomInstallation quantity must be greater than 0."},
		{"another part", 1, with(func(f *InstallFacts) { f.UnitPartID = 9 }),
			"ABomInstallation partInventoryId must be a unit of the build requirement's part (7) or of a substitute of its mBOM item."},
		{"a cycle", 1, with(func(f *InstallFacts) { f.Cycle = true }),
			"ABomInstallation partInventoryId 40 would make a cycle: a unit cannot be installed into itself or a unit under it."},
		{"a serial unit twice", 1, with(func(f *InstallFacts) { f.Serial, f.Installations = true, 1 }),
			"ABomInstallation partInventoryId 40 is already installed: a serial unit installs once."},
		{"beyond the requirement", 4, with(func(f *InstallFacts) { f.NotInstalled = 9 }),
			"ABomInstallation quantity must be at most 3, what build requirement 5 still needs."},
		{"beyond the unit", 3, ok, "ABomInstallation quantity must be at most 2, what of unit 40 is not installed yet."},
	} {
		err := CheckInstallation(ABomInstallationFields{BuildRequirementID: 5, PartInventoryID: 40, Quantity: tc.qty}, tc.facts)
		switch {
		case tc.message == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.message != "" && (err == nil || err.Error() != tc.message || ErrorCode(err) != CodeInvalid):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.message)
		}
	}
}
