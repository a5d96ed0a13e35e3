package shopfloor

import "testing"

func TestNextRevision(t *testing.T) {
	t.Parallel()
	for rev, want := range map[string]string{"A": "B", "b": "C", "Z": "AA", "AZ": "BA", "ZZ": "AAA", "1": "2", "9": "10", "1.0": "", "": "", "A1": ""} {
		if got, ok := NextRevision(rev); got != want || ok != (want != "") {
			t.Errorf("NextRevision(%q) = %q, %v; want %q", rev, got, ok, want)
		}
	}
}
