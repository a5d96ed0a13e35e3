package client

import (
	"context"
	"fmt"
)

// EtagAttempts bounds UpdateWithEtag's re-reads.
const EtagAttempts = 5

// ConflictError is UpdateWithEtag's answer when every attempt met a newer
// etag: the last conflict, for the caller to show a human who re-merges.
type ConflictError struct {
	Attempts int
	Err      error // the last *Error, a 409
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("still conflicting after %d re-reads: %v", e.Attempts, e.Err)
}

func (e *ConflictError) Unwrap() error { return e.Err }

// UpdateWithEtag is the contract's answer to a 409: read fetches the entity
// (its fields and _etag), apply makes the change on what read returned and
// sends it with that etag; on an etag conflict it reads again and re-applies,
// at most EtagAttempts times, then returns a *ConflictError. Any other error
// is returned at once.
func UpdateWithEtag[T any](ctx context.Context, read func(context.Context) (T, error), apply func(context.Context, T) error) error {
	var last error
	for range EtagAttempts {
		state, err := read(ctx)
		if err != nil {
			return err
		}
		if last = apply(ctx, state); !isEtagConflict(last) {
			return last
		}
	}
	return &ConflictError{Attempts: EtagAttempts, Err: last}
}
