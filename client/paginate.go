package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"strings"
)

// DefaultPageSize is the page Nodes asks for unless told.
const DefaultPageSize = 100

type connection[T any] struct {
	Edges []struct {
		Node T `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage bool   `json:"hasNextPage"`
		EndCursor   string `json:"endCursor"`
	} `json:"pageInfo"`
}

// Nodes iterates the nodes of a connection to its end, a page at a time.
// query declares $first: Int and $after: String and passes them to the
// connection at path (its root field, or a dotted path such as
// "part.inventories"), selecting edges { node { … } } and
// pageInfo { hasNextPage endCursor }. pageSize 0 is DefaultPageSize. The
// iteration stops at the first error, which it yields.
func Nodes[T any](ctx context.Context, c *Client, query string, vars map[string]any, path string, pageSize int, opts ...CallOption) iter.Seq2[T, error] {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		var zero T
		after := any(nil)
		for {
			page := maps.Clone(vars)
			if page == nil {
				page = map[string]any{}
			}
			page["first"], page["after"] = pageSize, after
			var data json.RawMessage
			if err := c.Do(ctx, query, page, &data, opts...); err != nil {
				yield(zero, err)
				return
			}
			conn, err := at[connection[T]](data, path)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, e := range conn.Edges {
				if !yield(e.Node, nil) {
					return
				}
			}
			if !conn.PageInfo.HasNextPage || len(conn.Edges) == 0 {
				return
			}
			after = conn.PageInfo.EndCursor
		}
	}
}

// at decodes the value at a dotted path of data.
func at[T any](data json.RawMessage, path string) (T, error) {
	var out T
	for _, name := range strings.Split(path, ".") {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return out, fmt.Errorf("connection %s: %w", path, err)
		}
		next, ok := obj[name]
		if !ok {
			return out, fmt.Errorf("connection %s: the answer has no %q", path, name)
		}
		data = next
	}
	return out, json.Unmarshal(data, &out)
}
