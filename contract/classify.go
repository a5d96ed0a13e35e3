package contract

import (
	"regexp"
	"slices"
	"strings"
)

// CodeStatus is the status class of each extensions.code Shopfloor sends,
// for an error whose extensions carry a code but no status.
var CodeStatus = map[string]int{
	"BAD_REQUEST": 400, "GRAPHQL_PARSE_FAILED": 400, "GRAPHQL_VALIDATION_FAILED": 400,
	"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "CONFLICT": 409,
	"VALIDATION_ERROR": 422, "RATE_LIMITED": 429, "INTERNAL_SERVER_ERROR": 500,
	"BAD_GATEWAY": 500, "SERVICE_UNAVAILABLE": 500, "GATEWAY_TIMEOUT": 500,
}

// Class is the contract's status class of an HTTP status: 200, 400, 401,
// 403, 404, 409, 422 and 429 are their own; any other 4xx is 400, any 5xx
// is 500, anything else 0 (unknown).
func Class(status int) int {
	switch {
	case slices.Contains([]int{200, 400, 401, 403, 404, 409, 422, 429}, status):
		return status
	case status >= 400 && status < 500:
		return 400
	case status >= 500 && status < 600:
		return 500
	}
	return 0
}

// How precisely a row matched a message: exact, an anchored pattern, any
// pattern. Classify keeps only the most precise of its matches.
const (
	matchExact = iota + 1
	matchAnchored
	matchPattern
)

var compiled = compile(Rows)

func compile(rows []Row) map[string][]*regexp.Regexp {
	out := map[string][]*regexp.Regexp{}
	for _, r := range rows {
		for _, p := range r.Patterns {
			out[r.ID] = append(out[r.ID], regexp.MustCompile(p))
		}
	}
	return out
}

// match reports how precisely row r recognises an error (0: not at all).
func match(r Row, message, code string) int {
	if slices.Contains(r.Messages, message) || code != "" && slices.Contains(r.Codes, code) {
		return matchExact
	}
	best := 0
	for i, re := range compiled[r.ID] {
		if !re.MatchString(message) {
			continue
		}
		if strings.HasPrefix(r.Patterns[i], "^") {
			return matchAnchored
		}
		best = matchPattern
	}
	return best
}

// StatusOf is the status class of an error: its extensions.status, else
// the class of its extensions.code, else the HTTP status of its answer
// (unless 200, which every GraphQL answer has), else 0.
func StatusOf(httpStatus int, extensions map[string]any) int {
	switch s := extensions["status"].(type) {
	case float64:
		return Class(int(s))
	case int:
		return Class(s)
	}
	if code, _ := extensions["code"].(string); CodeStatus[code] != 0 {
		return CodeStatus[code]
	}
	if httpStatus == 200 {
		return 0
	}
	return Class(httpStatus)
}

// Classify returns the rows of the contract an error matches: the rows
// that recognise its message (or code) most precisely (an exact message, then
// an anchored pattern, then any pattern), in table order, then the row of its
// status class. An error no row recognises gets its class's row
// (when known) and then the Troubleshooting flow, so the result is never
// empty and its first row's Fix is the advice to show. httpStatus is the
// answer's status (200 for GraphQL errors; 0 when unknown).
func Classify(httpStatus int, message string, extensions map[string]any) []Row {
	class := StatusOf(httpStatus, extensions)
	code, _ := extensions["code"].(string)
	message = strings.TrimSpace(message)
	var matched []Row
	best := 0
	for _, filterByClass := range []bool{true, false} {
		for _, r := range Rows {
			if filterByClass && class != 0 && r.Status != class {
				continue
			}
			switch m := match(r, message, code); {
			case m == 0:
			case best == 0 || m < best:
				matched, best = []Row{r}, m
			case m == best:
				matched = append(matched, r)
			}
		}
		if len(matched) > 0 || class == 0 {
			break // the message, when it names another class than the status, is the source of truth
		}
	}
	classes := []int{class}
	if class == 0 {
		classes = nil
		for _, r := range matched {
			classes = append(classes, r.Status)
		}
	}
	for _, c := range classes {
		if row, ok := StatusRow(c); ok && !slices.ContainsFunc(matched, func(m Row) bool { return m.ID == row.ID }) {
			matched = append(matched, row)
		}
	}
	if best == 0 {
		matched = append(matched, Troubleshooting)
	}
	return matched
}

// StatusRow returns the row of the contract's status table for a class.
func StatusRow(class int) (Row, bool) {
	if class == 0 || class == 200 {
		return Row{}, false
	}
	i := slices.IndexFunc(Rows, func(r Row) bool { return r.Table == TableStatus && r.Status == class })
	if i < 0 {
		return Row{}, false
	}
	return Rows[i], true
}

// Lookup returns the row with the given id.
func Lookup(id string) (Row, bool) {
	if id == Troubleshooting.ID {
		return Troubleshooting, true
	}
	i := slices.IndexFunc(Rows, func(r Row) bool { return r.ID == id })
	if i < 0 {
		return Row{}, false
	}
	return Rows[i], true
}
