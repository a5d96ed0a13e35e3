package shopfloor

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// ParseID reads an id given as an integer or as a string of digits: ION's
// clients send both (part(id: 42) and part(id: "42")).
func ParseID(raw any) (int64, error) {
	switch v := raw.(type) {
	case int64:
		return v, nil
	case int:
		return int64(v), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), nil
		}
	case json.Number:
		return strconv.ParseInt(string(v), 10, 64)
	case string:
		return strconv.ParseInt(v, 10, 64)
	}
	return 0, fmt.Errorf("invalid id %v", raw)
}
