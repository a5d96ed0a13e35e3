package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

// Issue links: the kind of the linked row and its role for the issue: the
// part and inventory it occurred on, the run and run step it was found on.
const (
	linkPart          = "Part"
	linkPartInventory = "PartInventory"
	linkRun           = "Run"
	linkRunStep       = "RunStep"
	roleOccurredOn    = "OCCURRED_ON"
	roleFoundOn       = "FOUND_ON"
)

// issueLink is the SQL expression of the id an issue links to.
func issueLink(kind, role string) string {
	return "(SELECT l.target_id FROM issue_links l WHERE l.issue_id = x.id AND l.kind = '" + kind + "' AND l.role = '" + role + "')"
}

var issues = &table[shopfloor.Issue]{
	entity: "Issue", name: "issues", alias: "x",
	selects: "x.id, x.org_id, " + entityID("Issue", "x") + ", x.title, x.description, x.status, x.disposition_type, x.disposition, " +
		"x.expected_condition, x.cause_condition, " + issueLink(linkPart, roleOccurredOn) + ", " + issueLink(linkPartInventory, roleOccurredOn) + ", " +
		issueLink(linkRun, roleFoundOn) + ", " + issueLink(linkRunStep, roleFoundOn) + ", x.etag, x.created_at, x.updated_at, x.created_by_id, x.updated_by_id",
	fields: map[string]column{
		"id":              {"x.id", kindID},
		"title":           {"x.title", kindText},
		"status":          {"x.status", kindEnum},
		"dispositionType": {"x.disposition_type", kindEnum},
		"partId":          {issueLink(linkPart, roleOccurredOn), kindID},
		"partInventoryId": {issueLink(linkPartInventory, roleOccurredOn), kindID},
		"runId":           {issueLink(linkRun, roleFoundOn), kindID},
		"runStepId":       {issueLink(linkRunStep, roleFoundOn), kindID},
		"createdById":     {"x.created_by_id", kindID},
		"updatedById":     {"x.updated_by_id", kindID},
	},
	dest: func(v *shopfloor.Issue) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.Title, &v.Description, &v.Status, &v.DispositionType, jsonCol[any]{&v.Disposition},
			jsonCol[any]{&v.ExpectedCondition}, jsonCol[any]{&v.CauseCondition}, &v.PartID, &v.PartInventoryID, &v.RunID, &v.RunStepID,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

var issueAttributes = &table[shopfloor.IssueAttribute]{
	entity: "IssueAttribute", name: "issue_attributes", alias: "ia", kept: true,
	selects: "ia.id, ia.issue_id, ia.key, ia.type, ia.value, ia.etag, ia.created_at, ia.updated_at, ia.created_by_id, ia.updated_by_id",
	fields:  map[string]column{"id": {"ia.id", kindID}, "key": {"ia.key", kindText}},
	dest: func(v *shopfloor.IssueAttribute) []any {
		return []any{&v.ID, &v.IssueID, &v.Key, &v.Type, jsonCol[any]{&v.Value}, &v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

// Issue returns one issue of the caller's org.
func (s *Store) Issue(ctx context.Context, id int64) (*shopfloor.Issue, error) {
	return get(ctx, s, issues, id)
}

// Issues lists the caller's issues.
func (s *Store) Issues(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Issue], error) {
	return list(ctx, s, issues, opts)
}

// AttributesByIssueIDs returns the attributes of each issue, in one statement.
func (s *Store) AttributesByIssueIDs(ctx context.Context, ids []int64) (map[int64][]shopfloor.IssueAttribute, error) {
	return grouped(ctx, s, issueAttributes, "", "ia.issue_id", ids)
}

// issueChanges are the columns an issue's fields set.
func issueChanges(f shopfloor.IssueFields) (changes, error) {
	var c changes
	setIf(&c, "title", f.Title)
	setIf(&c, "description", f.Description)
	setIf(&c, "disposition_type", f.DispositionType)
	for _, j := range []struct {
		col string
		v   any
	}{{"disposition", f.Disposition}, {"expected_condition", f.ExpectedCondition}, {"cause_condition", f.CauseCondition}} {
		if j.v != nil {
			text, err := jsonArg(j.v)
			if err != nil {
				return c, err
			}
			c.set(j.col, text)
		}
	}
	return c, nil
}

// issueTargets checks the part and inventory an issue is linked to are the
// caller's, and that the part is the inventory's (it defaults to it).
func (s *Store) issueTargets(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f *shopfloor.IssueFields) error {
	if f.PartInventoryID == nil {
		return existsIf(ctx, s, tx, parts, p, f.PartID)
	}
	var partID int64
	err := s.queryRow(ctx, tx, "SELECT part_id FROM part_inventories WHERE id = ? AND org_id = ? AND deleted_at IS NULL", *f.PartInventoryID, p.OrgID).Scan(&partID)
	if err == sql.ErrNoRows {
		return shopfloor.NotFound(inventories.entity, *f.PartInventoryID)
	} else if err != nil {
		return err
	}
	if f.PartID == nil {
		f.PartID = &partID
	} else if *f.PartID != partID {
		if err := exists(ctx, s, tx, parts, p, *f.PartID); err != nil {
			return err
		}
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Issue partId must be the part of partInventoryId %d (part %d).", *f.PartInventoryID, partID)
	}
	return nil
}

// issueRunTargets checks the run and run step an issue is linked to are
// the caller's, and that the run is the step's (it defaults to it).
func (s *Store) issueRunTargets(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f *shopfloor.IssueFields) error {
	if f.RunStepID == nil {
		return existsIf(ctx, s, tx, runs, p, f.RunID)
	}
	var runID int64
	err := s.queryRow(ctx, tx, "SELECT run_id FROM run_steps WHERE id = ? AND org_id = ? AND deleted_at IS NULL", *f.RunStepID, p.OrgID).Scan(&runID)
	if err == sql.ErrNoRows {
		return shopfloor.NotFound(runSteps.entity, *f.RunStepID)
	} else if err != nil {
		return err
	}
	if f.RunID == nil {
		f.RunID = &runID
	} else if *f.RunID != runID {
		if err := exists(ctx, s, tx, runs, p, *f.RunID); err != nil {
			return err
		}
		return shopfloor.Errorf(shopfloor.CodeInvalid, "Issue runId must be the run of runStepId %d (run %d).", *f.RunStepID, runID)
	}
	return nil
}

// linkIssue sets the row of kind an issue's role links to, when given.
func (s *Store) linkIssue(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, issueID int64, kind, role string, target *int64) error {
	if target == nil {
		return nil
	}
	if _, err := s.exec(ctx, tx, "DELETE FROM issue_links WHERE issue_id = ? AND kind = ? AND role = ?", issueID, kind, role); err != nil {
		return err
	}
	_, err := s.exec(ctx, tx, "INSERT INTO issue_links (org_id, issue_id, kind, role, target_id) VALUES (?, ?, ?, ?, ?)", p.OrgID, issueID, kind, role, *target)
	return err
}

func (s *Store) linkIssueTargets(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, issueID int64, f shopfloor.IssueFields) error {
	for _, l := range []struct {
		kind, role string
		target     *int64
	}{{linkPart, roleOccurredOn, f.PartID}, {linkPartInventory, roleOccurredOn, f.PartInventoryID},
		{linkRun, roleFoundOn, f.RunID}, {linkRunStep, roleFoundOn, f.RunStepID}} {
		if err := s.linkIssue(ctx, tx, p, issueID, l.kind, l.role, l.target); err != nil {
			return err
		}
	}
	return nil
}

// CreateIssue opens an issue, Pending, with its links and attributes.
func (s *Store) CreateIssue(ctx context.Context, f shopfloor.IssueFields) (*shopfloor.Issue, error) {
	return mutate(ctx, s, issues, "CreateIssue", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(true); err != nil {
			return 0, err
		}
		if err := s.issueTargets(ctx, tx, p, &f); err != nil {
			return 0, err
		}
		if err := s.issueRunTargets(ctx, tx, p, &f); err != nil {
			return 0, err
		}
		if err := s.checkAttributesIf(ctx, tx, p, "ISSUE", f.Attributes); err != nil {
			return 0, err
		}
		c, err := issueChanges(f)
		if err != nil {
			return 0, err
		}
		c.set("status", *f.Status)
		id, err := s.insert(ctx, tx, issues.name, p, c)
		if err != nil {
			return 0, err
		}
		if err := s.registerEntity(ctx, tx, p, "Issue", id); err != nil {
			return 0, err
		}
		if err := s.linkIssueTargets(ctx, tx, p, id, f); err != nil {
			return 0, err
		}
		if f.Attributes != nil {
			for _, a := range *f.Attributes {
				if _, err := s.insertIssueAttribute(ctx, tx, p, id, a); err != nil {
					return 0, err
				}
			}
		}
		return id, s.evaluateRules(ctx, tx, p, shopfloor.RuleChange{Target: "ISSUE", EventType: "CREATE", ID: id})
	})
}

// UpdateIssue changes an issue if etag is current; its status moves only as
// the status machine (shopfloor.NextIssueStatus) allows.
func (s *Store) UpdateIssue(ctx context.Context, id int64, etag string, f shopfloor.IssueFields) (*shopfloor.Issue, error) {
	return mutate(ctx, s, issues, "UpdateIssue", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(false); err != nil {
			return 0, err
		}
		if f.Attributes != nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Issue attributes are changed one at a time, by updateIssueAttribute.")
		}
		cur, err := getIn(ctx, s, tx, issues, p, id)
		if err != nil {
			return 0, err
		}
		if etag == "" {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Issue etag is required.")
		}
		if etag != cur.Etag {
			return 0, shopfloor.ErrEtagMismatch
		}
		facts := shopfloor.IssueFacts{HasDisposition: cur.DispositionType != nil || f.DispositionType != nil,
			DispositionChanged: f.DispositionType != nil && (cur.DispositionType == nil || *cur.DispositionType != *f.DispositionType)}
		for _, e := range []struct {
			field string
			given bool
		}{{"title", f.Title != nil}, {"description", f.Description != nil}, {"disposition", f.Disposition != nil},
			{"expectedCondition", f.ExpectedCondition != nil}, {"causeCondition", f.CauseCondition != nil},
			{"partId", f.PartID != nil}, {"partInventoryId", f.PartInventoryID != nil},
			{"runId", f.RunID != nil}, {"runStepId", f.RunStepID != nil}} {
			if e.given {
				facts.Edited = append(facts.Edited, e.field)
			}
		}
		next, err := shopfloor.NextIssueStatus(cur.Status, f.Status, facts)
		if err != nil {
			return 0, err
		}
		if f.PartID != nil && f.PartInventoryID == nil {
			f.PartInventoryID = cur.PartInventoryID // a new part must still be the inventory's
		}
		if f.RunID != nil && f.RunStepID == nil {
			f.RunStepID = cur.RunStepID // a new run must still be the step's
		}
		if err := s.issueTargets(ctx, tx, p, &f); err != nil {
			return 0, err
		}
		if err := s.issueRunTargets(ctx, tx, p, &f); err != nil {
			return 0, err
		}
		c, err := issueChanges(f)
		if err != nil {
			return 0, err
		}
		c.set("status", next)
		if err := update(ctx, s, tx, issues, p, id, etag, c); err != nil {
			return 0, err
		}
		if err := s.linkIssueTargets(ctx, tx, p, id, f); err != nil {
			return 0, err
		}
		return id, s.evaluateRules(ctx, tx, p, shopfloor.RuleChange{Target: "ISSUE", EventType: "UPDATE", ID: id})
	})
}

func (s *Store) insertIssueAttribute(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, issueID int64, a shopfloor.Attribute) (int64, error) {
	value, err := jsonArg(a.Value)
	if err != nil {
		return 0, err
	}
	var c changes
	c.set("issue_id", issueID)
	c.set("key", a.Key)
	c.set("type", a.Type)
	c.set("value", value)
	id, err := s.insert(ctx, tx, issueAttributes.name, p, c)
	if s.dialect.isUnique(err) {
		return 0, shopfloor.ErrEtagMismatch // another writer set the key first
	}
	return id, err
}

// UpdateIssueAttribute sets one attribute of an issue, named by its id or
// by its issue and key; an existing attribute needs its current Etag, a new
// one is made. The issue's own etag does not change.
func (s *Store) UpdateIssueAttribute(ctx context.Context, f shopfloor.IssueAttributeFields) (*shopfloor.IssueAttribute, error) {
	return mutate(ctx, s, issueAttributes, "UpdateIssueAttribute", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var cur *shopfloor.IssueAttribute
		var err error
		if f.ID != nil {
			if cur, err = getIn(ctx, s, tx, issueAttributes, p, *f.ID); err != nil {
				return 0, err
			}
			if f.Key != nil && *f.Key != cur.Key {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "IssueAttribute key cannot be changed.")
			}
		} else {
			if err := exists(ctx, s, tx, issues, p, *f.IssueID); err != nil {
				return 0, err
			}
			if f.Key == nil {
				return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "IssueAttribute key is required with issueId.")
			}
			row := s.queryRow(ctx, tx, "SELECT "+issueAttributes.selects+" FROM issue_attributes ia WHERE ia.issue_id = ? AND ia.key = ? AND ia.org_id = ?", *f.IssueID, *f.Key, p.OrgID)
			if a, err := issueAttributes.scanOne(row); err == nil {
				cur = &a
			} else if err != sql.ErrNoRows {
				return 0, err
			}
		}
		a := shopfloor.Attribute{Value: f.Value}
		if cur != nil {
			a.Key, a.Type = cur.Key, cur.Type
		} else {
			a.Key = *f.Key
		}
		attrs := shopfloor.Attributes{a}
		if err := s.checkAttributes(ctx, tx, p, "ISSUE", attrs); err != nil {
			return 0, err
		}
		if cur == nil {
			return s.insertIssueAttribute(ctx, tx, p, *f.IssueID, attrs[0])
		}
		value, err := jsonArg(attrs[0].Value)
		if err != nil {
			return 0, err
		}
		var c changes
		c.set("type", attrs[0].Type)
		c.set("value", value)
		return cur.ID, update(ctx, s, tx, issueAttributes, p, cur.ID, f.Etag, c)
	})
}
