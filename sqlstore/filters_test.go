package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// ilike means one thing on every engine, ION's: % and _ are wildcards, \
// makes the next character literal, and case is ignored throughout Unicode.
var ilikeCases = []struct {
	pattern, value string
	matches        bool
}{
	{"äö%", "ÄÖ-DIV", true},
	{"ÄÖ%", "äö-div", true},
	{"%zz%", "BUZZER", true},
	{"%zz%", "BUZ", false},
	{"a_c", "ABC", true},
	{"a_c", "AC", false},
	{"_", "é", true}, // one character, two bytes
	{"__", "é", false},
	{`100\%`, "100%", true},
	{`100\%`, "1000", false},
	{`\%%`, "% off", true},
	{`\%%`, "50 off", false},
	{`a\_c`, "a_c", true},
	{`a\_c`, "abc", false},
	{`c:\\tmp`, `C:\TMP`, true},
	{`c:\\tmp`, "C:TMP", false},
	{`\a\b`, "AB", true}, // an escaped ordinary character is itself
	{"straße", "STRAẞE", true},
	{"%ος", "ΣΊΣΥΦΟΣ", true}, // a final capital sigma lowers to ς
	{"ǆ%", "ǄEMAL", true},
}

func TestIlikeSemantics(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		for i, tc := range ilikeCases {
			number := fmt.Sprintf("ILIKE-%d", i)
			must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: &number, Description: ptr(tc.value)}))
			page := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, shopfloor.ListOptions{Filters: map[string]any{
				"partNumber": number, "description": map[string]any{"ilike": tc.pattern}}}))
			if got := page.TotalCount == 1; got != tc.matches {
				t.Errorf("%q ilike %q: %v, want %v", tc.value, tc.pattern, got, tc.matches)
			}
		}
	})
}

// Filters past what an engine takes are the same 422 on both, naming the
// limit; just inside them, they work.
func TestFilterLimits(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		p := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("LIMIT-1"), Description: ptr(`ends in \`)}))
		ids := func(n int) []any {
			out := make([]any, n)
			for i := range out {
				out[i] = p.ID + int64(i)
			}
			return out
		}
		long := strings.Repeat("é", shopfloor.MaxPattern)
		for _, tc := range []struct {
			name    string
			filter  map[string]any
			message string // "" when the filter works and finds the part
		}{
			{"in at the limit", map[string]any{"id": map[string]any{"in": ids(shopfloor.MaxFilterValues)}}, ""},
			{"in past the limit", map[string]any{"id": map[string]any{"in": ids(shopfloor.MaxFilterValues + 1)}}, "Part filter id.in must have at most 1000 values."},
			{"in past SQLite's variables", map[string]any{"id": map[string]any{"in": ids(32766)}}, "Part filter id.in must have at most 1000 values."},
			{"pattern at the limit", map[string]any{"description": map[string]any{"ilike": "%" + long[:len(long)-len("éé")] + "%"}}, "none"},
			{"pattern past the limit", map[string]any{"description": map[string]any{"ilike": long + "%"}}, "Part filter description.ilike must be at most 2048 characters."},
			{"pattern past SQLite's", map[string]any{"description": map[string]any{"ilike": strings.Repeat("%", 50001)}}, "Part filter description.ilike must be at most 2048 characters."},
			{"pattern ending in an escape", map[string]any{"description": map[string]any{"ilike": `%\`}}, `Part filter description.ilike must not end with an unescaped backslash.`},
			{"pattern ending in an escaped backslash", map[string]any{"description": map[string]any{"ilike": `%\\`}}, ""},
			{"NUL in a pattern", map[string]any{"description": map[string]any{"ilike": "%\x00%"}}, "Text must not contain the NUL character (U+0000)."},
			{"NUL in an eq", map[string]any{"partNumber": "LIMIT\x001"}, "Text must not contain the NUL character (U+0000)."},
		} {
			page, err := s.Parts(ctx, shopfloor.ListOptions{Filters: tc.filter})
			switch tc.message {
			case "":
				if err != nil || page.TotalCount != 1 {
					t.Errorf("%s: %v %+v", tc.name, err, page)
				}
			case "none":
				if err != nil || page.TotalCount != 0 {
					t.Errorf("%s: %v %+v", tc.name, err, page)
				}
			default:
				if shopfloor.ErrorCode(err) != shopfloor.CodeInvalid || shopfloor.ErrorMessage(err) != tc.message {
					t.Errorf("%s: got %v, want 422 %q", tc.name, err, tc.message)
				}
			}
		}

		// A NUL byte is refused wherever text is written, and nothing is.
		_, err := s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("NUL\x00PART")})
		wantCode(t, err, shopfloor.CodeInvalid, "Text must not contain the NUL character (U+0000).")
		_, err = s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr("a\x00b")})
		wantCode(t, err, shopfloor.CodeInvalid, "Text must not contain the NUL character (U+0000).")
		all := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, shopfloor.ListOptions{}))
		if all.TotalCount != 1 || *all.Items[0].Description != `ends in \` || all.Items[0].Etag != p.Etag {
			t.Fatalf("a refused write changed parts: %+v", all.Items)
		}
	})
}

// On PostgreSQL, ilike on parts' number and description is answered from
// the pg_trgm indexes the migration makes on the very expression the
// filter uses.
func TestIlikeUsesTrigramIndex(t *testing.T) {
	t.Parallel()
	s := engines[1].open(t)
	ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
	p, _ := shopfloor.PrincipalFrom(ctx)
	_, err := s.DB().Exec(`INSERT INTO parts (org_id, part_number, description, revision, part_type, tracking_type, status, etag, created_at, updated_at, created_by_id, updated_by_id)
		SELECT $1, 'P-' || g, 'Bracket ' || md5(g::text), 'A', 'PART', 'NONE', 'RELEASED', md5(g::text), now(), now(), $2, $2 FROM generate_series(1, 20000) g`, p.OrgID, p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	// As autovacuum would: statistics, and GIN's pending list merged.
	if _, err := s.DB().Exec("VACUUM ANALYZE parts"); err != nil {
		t.Fatal(err)
	}
	for field, index := range map[string]string{"description": "parts_description_trgm", "partNumber": "parts_part_number_trgm"} {
		plan, err := sqlstore.ExplainPartsCount(context.Background(), s, p.OrgID, map[string]any{field: map[string]any{"ilike": "%ZZQ%"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "Bitmap Index Scan on "+index) {
			t.Errorf("%s ilike does not use %s:\n%s", field, index, plan)
		}
	}
}
