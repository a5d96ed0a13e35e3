package shopfloor

import (
	"encoding/json"
	"testing"
)

// Each attribute type accepts its values (normalized) and refuses others
// with a 422 naming the entity and the attribute.
func TestCheckAttributes(t *testing.T) {
	t.Parallel()
	defs := []AttributeDefinition{
		{Key: "s", Type: "STRING"}, {Key: "n", Type: "NUMBER"}, {Key: "b", Type: "BOOLEAN"}, {Key: "d", Type: "DATETIME"},
		{Key: "f", Type: "FILE_ATTACHMENT"}, {Key: "one", Type: "SELECT", Options: []string{"X", "Y"}},
		{Key: "many", Type: "MULTISELECT", Options: []string{"X", "Y"}}, {Key: "p", Type: "PART"}, {Key: "u", Type: "USER"},
		{Key: "r", Type: "RICH_TEXT"},
	}
	for _, tc := range []struct {
		key   string
		value any
		want  string // the stored value as JSON, or the message
	}{
		{"s", "text", `"text"`},
		{"s", 3.0, "Part attribute 's' must be text."},
		{"n", "12.5", `12.5`},
		{"n", 7.0, `7`},
		{"n", "seven", "Part attribute 'n' must be a number."},
		{"b", "false", `false`},
		{"b", true, `true`},
		{"b", 1.0, "Part attribute 'b' must be true or false."},
		{"d", "2026-01-31", `"2026-01-31T00:00:00Z"`},
		{"d", "31/01/2026", "Part attribute 'd' must be an ISO 8601 date such as 2026-01-31."},
		{"d", "1850-01-01", "Part attribute 'd' must be between 1900-01-01 and 9999-12-31."},
		{"f", "https://files.example/a.pdf", `"https://files.example/a.pdf"`},
		{"f", "a.pdf", "Part attribute 'f' must be an absolute http or https URL."},
		{"one", "Y", `"Y"`},
		{"one", "Z", "Part attribute 'one' must be one of X, Y."},
		{"many", []any{"X", "Y"}, `["X","Y"]`},
		{"many", []any{"X", "Z"}, "Part attribute 'many' must be a list of values among X, Y."},
		{"many", "X", "Part attribute 'many' must be a list of values among X, Y."},
		{"p", "42", `42`},
		{"p", "P-42", "Part attribute 'p' must be the id of a Part."},
		{"u", 0.0, "Part attribute 'u' must be the id of a User."},
		{"r", []any{map[string]any{"children": []any{}}}, `[{"children":[]}]`},
		{"r", 5.0, "Part attribute 'r' must be text or a rich-text document (a list of nodes)."},
		{"undefined", 5.0, `5`},
	} {
		attrs := Attributes{{Key: tc.key, Value: tc.value}}
		got := ""
		if err := CheckAttributes("Part", defs, attrs); err != nil {
			got = err.Error()
		} else {
			b, _ := json.Marshal(attrs[0].Value)
			got = string(b)
		}
		if got != tc.want {
			t.Errorf("%s = %v: got %s, want %s", tc.key, tc.value, got, tc.want)
		}
	}
}
