package sqlstore

import (
	"encoding/json"
	"fmt"
)

// jsonCol scans a column of JSON text into *p (SQL NULL is T's zero value).
type jsonCol[T any] struct{ p *T }

func (j jsonCol[T]) Scan(src any) error {
	var zero T
	*j.p = zero
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), j.p)
	case []byte:
		return json.Unmarshal(v, j.p)
	}
	return fmt.Errorf("sqlstore: JSON from %T", src)
}

// jsonText is v as JSON text to store; nil stays SQL NULL.
func jsonText(v any) any {
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil // the domain's checks marshalled it already
	}
	return string(raw)
}

// setJSON sets col to v as JSON when v is given.
func setJSON(c *changes, col string, v any) {
	if v != nil {
		c.set(col, jsonText(v))
	}
}
