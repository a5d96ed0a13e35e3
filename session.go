package shopfloor

import (
	"context"
	"time"
)

// Session is a person's time on a run step (ION's time tracking): checked
// in, then checked out. A person has at most one open session per step.
type Session struct {
	ID        int64
	OrgID     int64
	RunStepID int64
	CheckIn   time.Time
	// CheckOut is nil while the session is open.
	CheckOut  *time.Time
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// CreatedByID is the person checked in.
	CreatedByID *int64
	UpdatedByID *int64
}

// SessionFields are the writable fields of a session; nil means "not given"
// (a check-in's time defaults to now).
type SessionFields struct {
	RunStepID *int64
	CheckIn   *time.Time
	CheckOut  *time.Time
}

// SessionCheckIn is nil when a person may check in to a step in
// stepStatus: time is tracked on a step being worked, IN_PROGRESS.
func SessionCheckIn(stepID int64, stepStatus string) error {
	if stepStatus == RunInProgress {
		return nil
	}
	return Errorf(CodeInvalid, "Session runStepId must be a step IN_PROGRESS to check in to; step %d is %s.", stepID, stepStatus)
}

// SessionAlreadyOpen is the 422 of a second open check-in of one person on
// one step.
func SessionAlreadyOpen(stepID, userID int64) error {
	return Errorf(CodeInvalid, "Session runStepId %d already has an open check-in by user %d: one open check-in per user and step; check out first.", stepID, userID)
}

// SessionCheckOut is nil when s may be checked out: it is still open.
func SessionCheckOut(s *Session) error {
	if s.CheckOut == nil {
		return nil
	}
	return Errorf(CodeInvalid, "Session checkOut is already set: session %d is checked out.", s.ID)
}

// SessionTimes is nil when a session checked in at checkIn and out at
// checkOut (nil: still open) is consistent: it checks out after it checks
// in.
func SessionTimes(checkIn time.Time, checkOut *time.Time) error {
	if checkOut != nil && checkOut.Before(checkIn) {
		return Errorf(CodeInvalid, "Session checkOut must be after checkIn.")
	}
	return nil
}

// SessionService manages time tracking on run steps.
type SessionService interface {
	Sessions(ctx context.Context, opts ListOptions) (*Page[Session], error)
	// CheckIn opens a session of the caller on a step in progress.
	CheckIn(ctx context.Context, f SessionFields) (*Session, error)
	// CheckOut closes an open session, at f.CheckOut or now.
	CheckOut(ctx context.Context, id int64, etag string, f SessionFields) (*Session, error)
	// UpdateSession corrects a session's times.
	UpdateSession(ctx context.Context, id int64, etag string, f SessionFields) (*Session, error)
}
