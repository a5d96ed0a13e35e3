package graph

import (
	"context"
	"sync"
)

// batcher loads one relation for many parents in one store call. Keys are
// batched by page, not by timer: a list resolver registers the ids of its
// page, and the first load of any of them fetches the whole page's worth.
// The number of statements per request is therefore fixed by the shape of
// the query, never by page size or goroutine scheduling.
type batcher[V any] struct {
	fetch func(ctx context.Context, keys []int64) (map[int64]V, error)
	// fetched, when set, sees every fetched batch (to register the keys of
	// the next level down).
	fetched func(vals map[int64]V)

	mu     sync.Mutex
	groups map[int64]*batch[V]
	// pending are the key lists registered since the last load or prime,
	// made batches (in order) only when one is: most relations a loaded
	// page registers are never asked for.
	pending [][]int64
}

type batch[V any] struct {
	once sync.Once
	keys []int64
	vals map[int64]V
	err  error
}

func newBatcher[V any](fetch func(context.Context, []int64) (map[int64]V, error)) *batcher[V] {
	return &batcher[V]{fetch: fetch}
}

// register makes keys not yet seen one batch. It keeps keys, which the
// caller must not change after.
func (b *batcher[V]) register(keys []int64) {
	if len(keys) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, keys)
}

// settle makes the pending key lists batches, in the order they came, and
// the map of batches the first time; b.mu is held.
func (b *batcher[V]) settle() {
	if b.groups == nil {
		b.groups = make(map[int64]*batch[V])
	}
	for _, keys := range b.pending {
		g := &batch[V]{}
		for _, k := range keys {
			if _, seen := b.groups[k]; !seen {
				b.groups[k] = g
				g.keys = append(g.keys, k)
			}
		}
	}
	b.pending = nil
}

// prime makes vals, already fetched, the values of the keys not yet seen:
// a tree read whole answers the loads of every level below it.
func (b *batcher[V]) prime(vals map[int64]V) {
	g := &batch[V]{vals: vals}
	g.once.Do(func() {})
	b.mu.Lock()
	defer b.mu.Unlock()
	b.settle()
	for k := range vals {
		if _, seen := b.groups[k]; !seen {
			b.groups[k] = g
		}
	}
}

// load returns the value for key, fetching its batch the first time.
func (b *batcher[V]) load(ctx context.Context, key int64) (V, error) {
	b.mu.Lock()
	b.settle()
	g := b.groups[key]
	if g == nil {
		g = &batch[V]{keys: []int64{key}}
		b.groups[key] = g
	}
	b.mu.Unlock()
	g.once.Do(func() {
		g.vals, g.err = b.fetch(ctx, g.keys)
		if g.err == nil && b.fetched != nil {
			b.fetched(g.vals)
		}
	})
	return g.vals[key], g.err
}

// byID adapts a fetch of rows by ids to a batcher fetch keyed by id.
func byID[T any](fetch func(context.Context, []int64) ([]T, error), id func(*T) int64) func(context.Context, []int64) (map[int64]*T, error) {
	return func(ctx context.Context, keys []int64) (map[int64]*T, error) {
		rows, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*T, len(rows))
		for i := range rows {
			out[id(&rows[i])] = &rows[i]
		}
		return out, nil
	}
}
