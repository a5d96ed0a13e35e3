package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

var sessions = &table[shopfloor.Session]{
	entity: "Session", name: "sessions", alias: "se",
	selects: "se.id, se.org_id, se.run_step_id, se.check_in, se.check_out, se.etag, se.created_at, se.updated_at, se.created_by_id, se.updated_by_id",
	fields: map[string]column{
		"id":          {"se.id", kindID},
		"runStepId":   {"se.run_step_id", kindID},
		"open":        {"(se.check_out IS NULL)", kindBool},
		"createdById": {"se.created_by_id", kindID},
		"updatedById": {"se.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Session) []any {
		return []any{&v.ID, &v.OrgID, &v.RunStepID, &v.CheckIn, &v.CheckOut, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Sessions lists the caller's organization's sessions.
func (s *Store) Sessions(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Session], error) {
	return list(ctx, s, sessions, opts)
}

// CheckIn opens a session of the caller on a step in progress, at
// f.CheckIn or now. The database keeps one open session per person and
// step (sessions_open): of two concurrent check-ins, one is refused.
func (s *Store) CheckIn(ctx context.Context, f shopfloor.SessionFields) (*shopfloor.Session, error) {
	return mutate(ctx, s, sessions, "CheckIn", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if f.RunStepID == nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Session runStepId is required.")
		}
		step, _, err := s.lockRunStep(ctx, tx, p, *f.RunStepID)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.SessionCheckIn(step.ID, step.Status); err != nil {
			return 0, err
		}
		var c changes
		c.set("run_step_id", step.ID)
		c.set("check_in", s.at(f.CheckIn))
		id, err := s.insert(ctx, tx, sessions.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.SessionAlreadyOpen(step.ID, p.UserID)
		}
		return id, err
	})
}

// CheckOut closes an open session, at f.CheckOut or now.
func (s *Store) CheckOut(ctx context.Context, id int64, etag string, f shopfloor.SessionFields) (*shopfloor.Session, error) {
	return mutate(ctx, s, sessions, "CheckOut", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		se, err := s.lockSession(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		if err := shopfloor.SessionCheckOut(se); err != nil {
			return 0, err
		}
		return id, s.writeSession(ctx, tx, p, se, etag, shopfloor.SessionFields{CheckOut: new(s.at(f.CheckOut))})
	})
}

// UpdateSession corrects a session's check-in and check-out times: each
// time changed takes its permission (CheckIn, CheckOut), as ION's catalog
// has no group of its own for it.
func (s *Store) UpdateSession(ctx context.Context, id int64, etag string, f shopfloor.SessionFields) (*shopfloor.Session, error) {
	perm := shopfloor.Permission("CheckIn")
	if f.CheckOut != nil {
		perm = "CheckOut"
	}
	return mutate(ctx, s, sessions, perm, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if f.CheckIn != nil && f.CheckOut != nil {
			if _, err := shopfloor.Authorize(ctx, "CheckIn"); err != nil {
				return 0, err
			}
		}
		se, err := s.lockSession(ctx, tx, p, id)
		if err != nil {
			return 0, err
		}
		return id, s.writeSession(ctx, tx, p, se, etag, shopfloor.SessionFields{CheckIn: f.CheckIn, CheckOut: f.CheckOut})
	})
}

// lockSession reads a session in tx after taking its run's lock; a
// read-only run refuses.
func (s *Store) lockSession(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, id int64) (*shopfloor.Session, error) {
	var stepID int64
	err := s.queryRow(ctx, tx, "SELECT run_step_id FROM sessions WHERE "+sessions.rowScope(), id, p.OrgID).Scan(&stepID)
	if err == sql.ErrNoRows {
		return nil, shopfloor.NotFound(sessions.entity, id)
	} else if err != nil {
		return nil, err
	}
	if _, _, err := s.lockRunStep(ctx, tx, p, stepID); err != nil {
		return nil, err
	}
	return getIn(ctx, s, tx, sessions, p, id)
}

// writeSession sets the times f gives on se, if etag is current and they
// stay consistent.
func (s *Store) writeSession(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, se *shopfloor.Session, etag string, f shopfloor.SessionFields) error {
	in, out := se.CheckIn, se.CheckOut
	if f.CheckIn != nil {
		in = *f.CheckIn
	}
	if f.CheckOut != nil {
		out = f.CheckOut
	}
	if err := shopfloor.SessionTimes(in, out); err != nil {
		return err
	}
	var c changes
	setIf(&c, "check_in", f.CheckIn)
	setIf(&c, "check_out", f.CheckOut)
	return update(ctx, s, tx, sessions, p, se.ID, etag, c)
}

// checkOutStep closes the open sessions of a step that stops being in
// progress, as ION does: at now, or at the check-in of one that checked
// in later.
func (s *Store) checkOutStep(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, stepID int64) error {
	open, err := whereIn(ctx, s, tx, sessions, p, "se.run_step_id = ? AND se.check_out IS NULL", stepID)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	for _, se := range open {
		var c changes
		out := now
		if se.CheckIn.After(now) {
			out = se.CheckIn
		}
		c.set("check_out", out)
		if err := update(ctx, s, tx, sessions, p, se.ID, se.Etag, c); err != nil {
			return err
		}
	}
	return nil
}

// at is t, or now when t is not given, in UTC.
func (s *Store) at(t *time.Time) time.Time {
	if t == nil {
		return s.Now().UTC()
	}
	return t.UTC()
}
