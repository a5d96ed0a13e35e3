package shopfloor

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// OrganizationSettings are an organization's settings, nested as ION's.
type OrganizationSettings struct {
	Rules RuleSettings `json:"rules"`
}

// RuleSettings say whether ION Actions (rules) run, and what a failing one
// does: BLOCK the change, with errorStateMessage, or ALLOW it.
type RuleSettings struct {
	Enabled           bool    `json:"enabled"`
	ErrorState        string  `json:"errorState"`
	ErrorStateMessage *string `json:"errorStateMessage"`
}

// RuleErrorStates are the values of RuleSettings.ErrorState; the first is
// the default.
var RuleErrorStates = []string{"BLOCK", "ALLOW"}

// Scan reads the stored JSON object, filling defaults.
func (s *OrganizationSettings) Scan(src any) error {
	*s = OrganizationSettings{}
	switch v := src.(type) {
	case string:
		if err := json.Unmarshal([]byte(v), s); err != nil {
			return err
		}
	case []byte:
		if err := json.Unmarshal(v, s); err != nil {
			return err
		}
	case nil:
	default:
		return fmt.Errorf("shopfloor: settings from %T", src)
	}
	if s.Rules.ErrorState == "" {
		s.Rules.ErrorState = RuleErrorStates[0]
	}
	return nil
}

// Value stores the settings as JSON text.
func (s OrganizationSettings) Value() (driver.Value, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// OrganizationSettingsPatch is a change to the settings: what is given
// replaces what is stored.
type OrganizationSettingsPatch struct {
	Rules *RuleSettingsPatch `json:"rules"`
}

// RuleSettingsPatch is a change to RuleSettings.
type RuleSettingsPatch struct {
	Enabled           *bool   `json:"enabled"`
	ErrorState        *string `json:"errorState"`
	ErrorStateMessage *string `json:"errorStateMessage"`
}

// Apply validates the patch and applies it to s.
func (p *OrganizationSettingsPatch) Apply(s *OrganizationSettings) error {
	if p == nil || p.Rules == nil {
		return nil
	}
	c := &check{entity: "Organization"}
	c.enum("settings.rules.errorState", p.Rules.ErrorState, RuleErrorStates...)
	c.text("settings.rules.errorStateMessage", p.Rules.ErrorStateMessage, false, 1024)
	if c.err != nil {
		return c.result()
	}
	if p.Rules.Enabled != nil {
		s.Rules.Enabled = *p.Rules.Enabled
	}
	if p.Rules.ErrorState != nil {
		s.Rules.ErrorState = *p.Rules.ErrorState
	}
	if p.Rules.ErrorStateMessage != nil {
		s.Rules.ErrorStateMessage = p.Rules.ErrorStateMessage
	}
	return nil
}
