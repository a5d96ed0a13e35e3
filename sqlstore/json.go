package sqlstore

import (
	"encoding/json"

	"github.com/shopfloor-dev/shopfloor"
)

// jsonCol scans a column of JSON text into *p (SQL NULL is T's zero value).
type jsonCol[T any] struct{ p *T }

func (j jsonCol[T]) Scan(src any) error {
	var zero T
	*j.p = zero
	return shopfloor.ScanJSON(src, j.p)
}

// jsonArg is the column value of a JSON input: its text, or NULL for nil.
func jsonArg(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// jsonText is jsonArg of a value the domain's checks marshalled already.
func jsonText(v any) any {
	text, _ := jsonArg(v)
	return text
}

// setJSON sets col to v as JSON when v is given.
func setJSON(c *changes, col string, v any) {
	if v != nil {
		c.set(col, jsonText(v))
	}
}
