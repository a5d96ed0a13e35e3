package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"modernc.org/sqlite"
)

// lowerFunc is the SQL function SQLite lowers text with for ilike: its own
// LOWER folds ASCII only, so it is Unicode's full lower case (root locale,
// as ICU's on PostgreSQL), computed in Go.
const lowerFunc = "shopfloor_lower"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(lowerFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return lower(v), nil
		case []byte:
			return lower(string(v)), nil
		default:
			return nil, fmt.Errorf("%s: not text: %T", lowerFunc, v)
		}
	})
}

// lower is Unicode's full lower case of s, the root locale's.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return cases.Lower(language.Und).String(s) // a Caser is not safe to share
		}
	}
	return strings.ToLower(s) // the same for ASCII, without allocating when already lower
}
