package contract_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/contract"
)

func ids(rows []contract.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// ext is a GraphQL error's extensions as Shopfloor sends them.
func ext(code shopfloor.Code) map[string]any {
	return map[string]any{"code": string(code), "status": float64(code.Status())}
}

// The messages the server sends, each classified to its row and then its
// class's row.
func TestClassifyServerMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		http    int
		message string
		ext     map[string]any
		want    []string
	}{
		// 401, outside GraphQL.
		{401, shopfloor.MsgNoCredentials, ext(shopfloor.CodeUnauthenticated), []string{"401-no-credentials", "status-401"}},
		{401, auth.MsgUnparseable, ext(shopfloor.CodeUnauthenticated), []string{"401-unparseable", "status-401"}},
		{401, auth.MsgUnknownKey, ext(shopfloor.CodeUnauthenticated), []string{"401-unknown-key", "status-401"}},
		{401, auth.MsgExpired, ext(shopfloor.CodeUnauthenticated), []string{"401-expired", "status-401"}},
		{401, auth.MsgInvalid, ext(shopfloor.CodeUnauthenticated), []string{"401-invalid", "status-401"}},
		{401, auth.MsgOrgMismatch, ext(shopfloor.CodeUnauthenticated), []string{"401-org-mismatch", "status-401"}},
		{401, fmt.Sprintf(auth.MsgDeactivated, "ann@acme.example"), nil, []string{"401-deactivated", "status-401"}},
		{401, auth.MsgOrgIsBlocked, ext(shopfloor.CodeUnauthenticated), []string{"401-org-blocked", "status-401"}},
		{401, fmt.Sprintf(auth.MsgLoginDomain, "x.example"), ext(shopfloor.CodeUnauthenticated), []string{"401-login-domain", "status-401"}},
		// 403, inside GraphQL.
		{200, "User does not have permission to perform UPDATE on Purchase Order.", ext(shopfloor.CodeForbidden), []string{"403-permission", "status-403"}},
		{200, "User does not have permission to update this resource.", nil, []string{"403-permission", "status-403"}},
		{200, "Part with id 42 not found.", ext(shopfloor.CodeForbidden), []string{"403-not-visible", "status-403"}},
		{200, "This organization is read-only: mutations are not allowed.", ext(shopfloor.CodeForbidden), []string{"403-read-only-org", "status-403"}},
		{200, "This organization's schema is read-only: mutations are not allowed.", ext(shopfloor.CodeForbidden), []string{"403-read-only-schema", "status-403"}},
		{200, "User ann@acme.example is deactivated and may not perform this operation.", ext(shopfloor.CodeForbidden), []string{"403-deactivated", "status-403"}},
		{200, "Approval gate not satisfied: publishing procedure 3 still needs QE.", ext(shopfloor.CodeForbidden), []string{"403-approval", "status-403"}},
		{200, "OAuth scope insufficient: mutations need the api:write scope.", ext(shopfloor.CodeForbidden), []string{"403-scope", "status-403"}},
		{200, "Feature API_KEYS is not enabled for this organization.", ext(shopfloor.CodeForbidden), []string{"403-feature", "status-403"}},
		{200, "Token organization 1 does not grant access to organization 2.", ext(shopfloor.CodeForbidden), []string{"403-cross-org", "status-403"}},
		{403, "Origin https://evil.example is not allowed: register it as an origin URI of an OAuth app.", ext(shopfloor.CodeForbidden), []string{"shopfloor-origin", "status-403"}},
		// The other classes.
		{400, "Malformed request: the body is not valid JSON.", ext(shopfloor.CodeBadRequest), []string{"status-400"}},
		{408, "Request timeout: the body did not arrive within 30s.", map[string]any{"code": "BAD_REQUEST", "status": 408.0}, []string{"status-400"}},
		{200, `Cannot query field "nope" on type "Query".`, map[string]any{"code": "GRAPHQL_VALIDATION_FAILED", "status": 400.0}, []string{"shopfloor-graphql-document", "status-400"}},
		{200, "Too many errors: the first 100 of 130 are shown.", map[string]any{"code": "GRAPHQL_VALIDATION_FAILED", "status": 400.0}, []string{"shopfloor-graphql-document", "status-400"}},
		{200, "Part with id 42 not found.", ext(shopfloor.CodeNotFound), []string{"status-404"}},
		{200, "Part with id 42 not found.", nil, []string{"status-404", "403-not-visible", "status-403"}},
		{404, "No such endpoint: /graphq", ext(shopfloor.CodeNotFound), []string{"shopfloor-no-endpoint", "status-404"}},
		{200, shopfloor.MsgEtagMismatch, ext(shopfloor.CodeConflict), []string{"status-409"}},
		{200, shopfloor.MsgEtagMismatch, nil, []string{"status-409"}},
		{409, "A request with this Idempotency-Key is still running; retry it later.", ext(shopfloor.CodeConflict), []string{"shopfloor-idempotency-running", "status-409"}},
		{200, "PartInventory quantity must be greater than 0.", ext(shopfloor.CodeInvalid), []string{"status-422"}},
		{200, "PartInventory quantity must be greater than 0.", nil, []string{"status-422"}},
		{422, "Idempotency-Key was already used with a different request body.", ext(shopfloor.CodeInvalid), []string{"shopfloor-idempotency-reused", "status-422"}},
		{200, "Query cost 60000 exceeds the maximum of 50000.", ext(shopfloor.CodeInvalid), []string{"shopfloor-query-limits", "status-422"}},
		{200, "Argument first must be at most 1000.", ext(shopfloor.CodeInvalid), []string{"shopfloor-query-limits", "status-422"}},
		{200, "Query cost 250000 exceeds the rate-limit bucket of 200000 and can never run.", ext(shopfloor.CodeInvalid), []string{"shopfloor-query-limits", "status-422"}},
		{429, "Rate limit exceeded: retry after 3 seconds.", ext(shopfloor.CodeRateLimited), []string{"status-429"}},
		{200, shopfloor.MsgInternal, ext(shopfloor.CodeInternal), []string{"status-5xx"}},
		{500, shopfloor.MsgInternal, ext(shopfloor.CodeInternal), []string{"status-5xx"}},
		{502, "Bad gateway: the upstream did not answer; retry with backoff.", ext(shopfloor.CodeBadGateway), []string{"status-5xx"}},
		{503, shopfloor.MsgUnavailable, ext(shopfloor.CodeUnavailable), []string{"status-5xx"}},
		{504, "The request did not finish within 30s and was cancelled; retry with a smaller page.", ext(shopfloor.CodeTimeout), []string{"shopfloor-deadline", "status-5xx"}},
		{200, "The request did not finish within 30s: this field did not run; retry it.", ext(shopfloor.CodeTimeout), []string{"shopfloor-did-not-run", "status-5xx"}},
		{200, "A database statement ran longer than 10s and was cancelled; narrow the filters or the page.", ext(shopfloor.CodeTimeout), []string{"shopfloor-statement-timeout", "status-5xx"}},
		// The token endpoint's OAuth errors (error_description).
		{401, "Invalid client or Invalid client credentials", nil, []string{"shopfloor-token-client", "status-401"}},
		{400, "Invalid scopes: api:admin", nil, []string{"shopfloor-token-request", "status-400"}},
		// Unknown messages: the class's row, then the troubleshooting flow.
		{200, "Something nobody has seen.", ext(shopfloor.CodeInvalid), []string{"status-422", "troubleshooting"}},
		{200, "Something nobody has seen.", nil, []string{"troubleshooting"}},
		{502, "<html>bad gateway</html>", nil, []string{"status-5xx", "troubleshooting"}},
	} {
		if got := ids(contract.Classify(tc.http, tc.message, tc.ext)); !slices.Equal(got, tc.want) {
			t.Errorf("Classify(%d, %q, %v) = %v, want %v", tc.http, tc.message, tc.ext, got, tc.want)
		}
	}
}

// Every row's fix is there, every id is unique, and every pattern is in the
// subset of RE2 that JavaScript's RegExp reads the same way.
func TestRowsAreComplete(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range append(slices.Clone(contract.Rows), contract.Troubleshooting) {
		if r.ID == "" || seen[r.ID] || r.Cause == "" || r.Fix == "" || r.Retry == "" {
			t.Errorf("row %+v: a duplicate id, or no cause, fix or retry advice", r)
		}
		seen[r.ID] = true
		for _, p := range r.Patterns {
			for _, unportable := range []string{"(?", `\z`, `\A`, `\Q`, "[[:", `\p`} {
				if strings.Contains(p, unportable) {
					t.Errorf("row %s: pattern %q uses %q, which JavaScript reads otherwise", r.ID, p, unportable)
				}
			}
		}
	}
	// Every status class of the contract's reference table has its row.
	for _, class := range []int{400, 401, 403, 404, 409, 422, 429, 500} {
		if _, ok := contract.StatusRow(class); !ok {
			t.Errorf("no status row for %d", class)
		}
	}
}
