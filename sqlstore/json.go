package sqlstore

import (
	"encoding/json"

	"github.com/shopfloor-dev/shopfloor"
)

// jsonValue scans a JSON text column into any value (NULL is nil).
type jsonValue struct{ dst *any }

func (j jsonValue) Scan(src any) error {
	*j.dst = nil
	return shopfloor.ScanJSON(src, j.dst)
}

// jsonArg is the column value of a JSON input: its text, or NULL for nil.
func jsonArg(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
