// Package contract is ION's error contract (../shared/spec/error-codes.md)
// as data: every row of its tables with its cause and fix and how to
// recognise it (exact messages, message patterns), and Classify, which
// matches an error to its rows. The client, `shopfloor explain` and the
// server's GET /contract.json all read this one table.
package contract

// Retry says what a client may do with an error of a row.
type Retry string

// The retry advice of the rows.
const (
	RetryNever       Retry = "never"        // deterministic: fix the request first
	RetryRateLimit   Retry = "rate-limit"   // back off from 1 s doubling to about 30 s, with jitter, honouring Retry-After
	RetryServerError Retry = "server-error" // retry after 1, 2, 4, 8 s; stop after three consecutive failures
	RetryReread      Retry = "re-read"      // re-read the entity, re-apply the change, retry with the new _etag
	RetryLater       Retry = "retry-after"  // the same request again, after Retry-After
)

// Tables a row comes from: the contract's own, or Shopfloor's additions
// for messages whose fix differs from their status class's.
const (
	TableStatus          = "status"
	Table401             = "401"
	Table403             = "403"
	TableShopfloor       = "shopfloor"
	TableTroubleshooting = "troubleshooting"
)

// Row is one row of the contract: a status class, or a message or cause
// within one, with its fix. Patterns are regular expressions in the common
// subset of Go's RE2 and JavaScript's RegExp, so a browser matches them as
// Classify does.
type Row struct {
	ID       string   `json:"id"`
	Status   int      `json:"status"` // the status class: 400 … 429, 500 for every 5xx, 0 for the troubleshooting flow
	Table    string   `json:"table"`
	Cause    string   `json:"cause"`
	Happened string   `json:"whatHappened,omitempty"`
	Fix      string   `json:"fix"`
	Steps    []string `json:"steps,omitempty"`
	Retry    Retry    `json:"retry"`
	Messages []string `json:"messages,omitempty"` // exact messages
	Patterns []string `json:"patterns,omitempty"`
	Codes    []string `json:"codes,omitempty"` // extensions.code values that name this row whatever the message
}

// Troubleshooting is the contract's flow for a message no row knows.
var Troubleshooting = Row{
	ID:    "troubleshooting",
	Table: TableTroubleshooting,
	Cause: "Unfamiliar message",
	Fix:   "Its wording usually points at the offending field, permission, or resource. Search for it in Authentication and the tables of the error contract; if you're still stuck, reproduce the call in the API Playground and paste the request and error into a support ticket.",
	Retry: RetryNever,
	Steps: []string{
		"Check the HTTP status.",
		"If it's a 200, parse errors[] from the response body.",
		"Match the message against the tables of the error contract.",
		"If the message is unfamiliar, its wording usually points at the offending field, permission, or resource. Search for it in Authentication and the tables of the error contract.",
		"If you're still stuck, reproduce the call in the API Playground, which surfaces errors more readably. Paste the request and error into a support ticket.",
		"Most 403s are fixed by granting the user's role the missing permission: check permissions before you change code. For a 409, show the conflict to a human so they can re-merge.",
	},
}

// Rows is the whole table: the status classes, the 401 messages, the 403
// causes, then Shopfloor's own rows. Classify lists matches in this order.
var Rows = []Row{
	{
		ID: "status-200", Status: 200, Table: TableStatus, Cause: "Success or GraphQL error",
		Happened: "Always for /graphql: GraphQL operations return HTTP 200 even when the operation fails; the failure is in errors[].",
		Fix:      "Check errors[]: it is the source of truth. A partial data payload beside it holds valid fields; merge them.",
		Retry:    RetryNever,
	},
	{
		ID: "status-400", Status: 400, Table: TableStatus, Cause: "Malformed request",
		Happened: "Invalid JSON body, missing required field on the wire.",
		Fix:      "Fix the request (one JSON object, or a batch array, with a query and the fields it requires) and send it again; unchanged it fails the same way.",
		Retry:    RetryNever,
		Patterns: []string{`^Malformed request`, `^Request timeout: the body `, `^Method \S+ is not allowed; use `, `^Unknown X-Shopfloor-Fault; use one of `},
	},
	{
		ID: "status-401", Status: 401, Table: TableStatus, Cause: "Unauthenticated",
		Happened: "Missing, expired, or invalid token: the auth layer refused the request before GraphQL ran.",
		Fix:      "Match the message against the 401 table; send a valid token as Authorization: Bearer <token> (refresh it for OAuth, re-issue it for an API key).",
		Retry:    RetryNever,
	},
	{
		ID: "status-403", Status: 403, Table: TableStatus, Cause: "Authenticated but not allowed",
		Happened: "Permission, scope, or org-isolation failure: the principal isn't authorized for the operation.",
		Fix:      "If the 403 says \"permission\", check the user's role. If it says \"not found\" or refers to an ID, check the entity's tenant. If it says \"read-only\", check the org's billing and compliance state.",
		Retry:    RetryNever,
	},
	{
		ID: "status-404", Status: 404, Table: TableStatus, Cause: "Resource not found",
		Happened: "Wrong ID, soft-deleted entity, or not visible to your org (the cases are indistinguishable, to prevent enumeration).",
		Fix:      `Check the ID for a typo and whether the entity was soft-deleted. If it should exist, query a filtered list such as parts(filters: { id: { in: [42] } }) { edges { node { id } } } instead of part(id: "42"): an empty edges array confirms a tenant or scope issue.`,
		Steps:    []string{"An ID typo.", "The entity was soft-deleted.", "A cross-tenant ID (see 403: sometimes this surfaces as a 404, depending on the resolver)."},
		Retry:    RetryNever,
		Patterns: []string{` with id \S+ not found\.$`, ` not found\.$`, ` is not a person\.$`, `^File \S+ has not been uploaded yet\.$`},
	},
	{
		ID: "status-409", Status: 409, Table: TableStatus, Cause: "Concurrency conflict",
		Happened: "The _etag mismatch: your update raced another writer.",
		Fix:      "Re-read the entity to get the latest _etag and field values, re-apply your changes on top of the new state, and retry the mutation with the new _etag (or show the conflict to a human so they can re-merge).",
		Steps: []string{
			"Re-read the entity to get the latest _etag and the latest field values.",
			"Re-apply your changes on top of the new state.",
			"Retry the mutation with the new _etag.",
		},
		Retry:    RetryReread,
		Messages: []string{"Concurrent modification detected — etag mismatch."},
	},
	{
		ID: "status-422", Status: 422, Table: TableStatus, Cause: "Validation error",
		Happened: "The request was structurally valid and authorized, but a field value violated a domain rule (a quantity ≤ 0, a required field missing, a date out of range, a string too long, an enum value not allowed).",
		Fix:      "Fix the input and retry: the message names the field and the constraint. These errors are deterministic.",
		Retry:    RetryNever,
		Patterns: []string{
			` must (be|not|have|include) `, ` is required[.: ]`, ` is repeated\.$`, ` already exists`, ` cannot be `, ` is not supported\.$`,
			` is not a valid `, ` does not exist\.$`, ` has an invalid value\.$`, ` is already registered as `, ` is a system role: `,
			`^Text must not contain the NUL character`,
			// the domain's state rules: a status machine, an entity that is
			// read-only in its state, a tree or a link that would break
			` cannot change from `, ` can only be `, ` only a \S+ \S+ can be `, ` is read-only\.$`, ` would `,
			` must name a `, ` are required for a `, ` is already `, ` already has `, ` is calculated `,
			` is not allowed for `, ` it changes with its `, ` are changed one at a time`, ` labels \S+, not entity `,
			` is not an upload of this organization\.$`, ` has not been uploaded yet\.$`,
			` is not unique `, ` is the mBOM item's own part\.$`, ` was not imported\.$`,
			` cannot both be given\.$`, ` must name each `, ` differs: merged inventory `, ` does not fit the value set in row `,
			`: only [A-Z]+( or [A-Z]+)? inventory can be `, `: only open kits take inventory\.$`, ` is on no open kit\.$`,
		},
	},
	{
		ID: "status-429", Status: 429, Table: TableStatus, Cause: "Rate-limited",
		Happened: "Fair-use rate limiting on the /graphql endpoint.",
		Fix:      "Back off and retry: start at 1 second, double up to about 30 seconds, add jitter (honour Retry-After). Batch related queries, and cache data that doesn't change often.",
		Steps: []string{
			"Implement exponential backoff in your client. Start at 1 second, double up to about 30 seconds, and add jitter.",
			"Batch related queries. One query selecting many fragments beats several queries that each select one fragment.",
			"Cache locally. For data that doesn't change often, such as parts and procedures, don't re-fetch every time.",
		},
		Retry:    RetryRateLimit,
		Patterns: []string{`^Rate limit exceeded`},
	},
	{
		ID: "status-5xx", Status: 500, Table: TableStatus, Cause: "Server error",
		Happened: "A failure on the server's side. Safe to retry with exponential backoff.",
		Fix:      "Retry after 1, 2, 4 and 8 seconds; after three consecutive failures across about 30 seconds, surface the error to the user or on-call, and check the status page or contact support if it persists.",
		Steps: []string{
			"Retry with exponential backoff. Use 1, 2, 4, and 8 seconds.",
			"After three consecutive failures across about 30 seconds, surface the error to the user or on-call.",
			"Check the status page if available, or contact support if the error persists.",
		},
		Retry:    RetryServerError,
		Messages: []string{"Internal server error.", "The service is temporarily unavailable; retry with backoff."},
		Patterns: []string{`^Bad gateway: `, `^Not ready: `},
	},

	// The 401 table: messages of the auth layer.
	auth401("401-no-credentials", "Please provide proper credentials", "No Authorization header on the request", "Add Authorization: Bearer <token>."),
	auth401("401-unparseable", "Unable to parse authentication token", "Malformed token, such as one that is truncated or in the wrong format", "Verify the full token is being sent. A common cause is an env var that lost a trailing character."),
	auth401("401-unknown-key", "Unable to find appropriate RSA key", "The token was signed by a key the server doesn't recognize", "The token came from the wrong auth provider. Check that you're hitting the right client_id and audience."),
	auth401("401-expired", "Token is expired", "The access token's exp claim has passed", "Refresh the token for OAuth, or re-issue it for an API key."),
	auth401("401-invalid", "Unable to validate authentication token", "Generic verification failure", "Re-issue the token. If it persists, check that the token audience and issuer match your environment."),
	auth401("401-org-mismatch", "Token organization does not match user's organization", "The token was issued for one org, but the user belongs to another", "Re-authenticate the user against their actual organization."),
	auth401("401-deactivated", `^User .+ is deactivated$`, "The user has been deactivated", "Reactivate the user or use a different account."),
	auth401("401-org-blocked", "Sorry, this organization is blocked from accessing ION", "The org is in a blocked state", "Contact your CSM."),
	auth401("401-login-domain", `^Login domain '.*' is not valid for this organization$`, "The user's email domain isn't allowed on the org", "Add the domain to org settings or use an allowed email."),

	// The 403 table: causes, and the messages Shopfloor gives each.
	cause403("403-permission", "Missing role permission",
		"The user or service account's role doesn't include the action being performed. For example, the role lacks the \"create purchase order\" permission.",
		"An admin grants the role the missing permission, or assigns the user a role that has it.",
		`^User does not have permission to `),
	cause403("403-not-visible", "Resource not visible to org",
		"The entity ID exists in another tenant's data. It is treated as nonexistent for this caller.",
		"Verify the ID belongs to your org. Cross-org references are never allowed.",
		` not found\.?$`, ` not visible `),
	cause403("403-read-only-org", "Read-only organization",
		"The org is in read-only mode, such as a billing freeze or compliance hold, and any mutation is rejected.",
		"Contact your CSM to release the read-only flag.",
		`^This organization is read-only`),
	cause403("403-read-only-schema", "Read-only schema",
		"A specific schema, your tenant, is flagged read-only on the server side.",
		"Contact support.",
		`^This organization's schema is read-only`),
	cause403("403-deactivated", "Deactivated user",
		"The user account is deactivated. Auth still passes if the token is valid, but every operation returns a 403.",
		"Reactivate the user in admin settings.",
		`^User .+ is deactivated and may not perform this operation\.$`),
	cause403("403-approval", "Approval gate not satisfied",
		"The operation requires an approval that hasn't been granted. For example, publishing a procedure that requires QE sign-off.",
		"Complete the approval flow first.",
		`^Approval gate not satisfied`),
	cause403("403-scope", "OAuth scope insufficient",
		"The token was issued with limited scopes that don't cover the requested operation.",
		"Re-authorize the OAuth app with broader scopes.",
		`^OAuth scope insufficient`),
	cause403("403-feature", "Feature flag disabled",
		"The operation is gated behind a feature flag not enabled for your org.",
		"Contact your CSM to enable the feature for your tier.",
		`^Feature \S+ is not enabled for this organization\.$`),
	cause403("403-cross-org", "Cross-org token",
		"A token issued for org A is trying to access org B's data.",
		"Re-authenticate against the correct org.",
		`^Token organization \d+ does not grant access to organization \d+\.$`),

	// Shopfloor's messages whose fix is not their class's.
	{
		ID: "shopfloor-graphql-document", Status: 400, Table: TableShopfloor, Cause: "Invalid GraphQL document",
		Happened: "The document does not parse, or does not validate against the schema (a field, argument or type it names does not exist, a variable is missing or of the wrong type).",
		Fix:      "Fix the document against the schema (the error's locations point at the spot); it never runs as it is.",
		Retry:    RetryNever,
		Patterns: []string{`^Too many errors: the first \d+ of \d+ are shown\.$`},
		Codes:    []string{"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"},
	},
	{
		ID: "shopfloor-no-endpoint", Status: 404, Table: TableShopfloor, Cause: "Unknown endpoint",
		Happened: "The URL names no endpoint of the server.",
		Fix:      "Send GraphQL as POST to /graphql (tokens from /realms/api-keys/protocol/openid-connect/token).",
		Retry:    RetryNever,
		Patterns: []string{`^No such endpoint: `},
	},
	{
		ID: "shopfloor-file-url", Status: 403, Table: TableShopfloor, Cause: "File URL refused",
		Happened: "A signed upload or download URL was refused: its signature does not match, it has expired, an upload URL was used already, or another upload is using it.",
		Fix:      "Ask for a new URL (createFileAttachment, requestFileUploadUrl, or the entity's fileAttachments for a download) and use it once, within minutes.",
		Retry:    RetryNever,
		Messages: []string{"The file URL's signature is not valid.", "The file URL has expired; request a new one.",
			"The upload URL has already been used; request a new one.", "The upload URL is being used by another upload."},
	},
	{
		ID: "shopfloor-origin", Status: 403, Table: TableShopfloor, Cause: "Origin not allowed",
		Happened: "A browser app's origin is not registered with the organization, so its cross-origin requests are refused.",
		Fix:      "Register the origin with addOauthRedirectUri(uriType: \"origin\") on one of the organization's OAuth apps.",
		Retry:    RetryNever,
		Patterns: []string{`^Origin .+ is not allowed: register it as an origin URI of an OAuth app\.$`},
	},
	{
		ID: "shopfloor-query-limits", Status: 422, Table: TableShopfloor, Cause: "Query too large",
		Happened: "The operation is deeper, costlier or selects more introspection than the server allows, or asks for a larger page; it was refused before it ran.",
		Fix:      "Nest less, select fewer fields, ask for smaller pages (first/last) and follow pageInfo.endCursor; the message names the limit.",
		Retry:    RetryNever,
		Patterns: []string{`^Query (depth|cost) \d+ exceeds the maximum of \d+\.$`, `^Query selects __schema or __type \d+ times`, `^Argument (first|last) must be at most \d+\.$`, `^Query cost \d+ exceeds the rate-limit bucket of \d+ and can never run\.$`},
	},
	{
		ID: "shopfloor-idempotency-reused", Status: 422, Table: TableShopfloor, Cause: "Idempotency-Key reused",
		Happened: "The Idempotency-Key was already used with a different request body.",
		Fix:      "Use a new Idempotency-Key for a new request; retry a request only with its own key and the same body.",
		Retry:    RetryNever,
		Messages: []string{"Idempotency-Key was already used with a different request body."},
	},
	{
		ID: "shopfloor-idempotency-running", Status: 409, Table: TableShopfloor, Cause: "Idempotent request still running",
		Happened: "A request with the same Idempotency-Key is still running.",
		Fix:      "Send the same request with the same key again after Retry-After; it answers the first request's result once that finishes.",
		Retry:    RetryLater,
		Messages: []string{"A request with this Idempotency-Key is still running; retry it later."},
	},
	{
		ID: "shopfloor-deadline", Status: 500, Table: TableShopfloor, Cause: "Request deadline passed",
		Happened: "The request did not finish within the server's deadline and was cancelled; nothing was written.",
		Fix:      "Retry with a smaller page or narrower filters.",
		Retry:    RetryServerError,
		Patterns: []string{`^The request did not finish within .+ and was cancelled`},
	},
	{
		ID: "shopfloor-did-not-run", Status: 500, Table: TableShopfloor, Cause: "Field did not run",
		Happened: "The deadline passed while a mutation ran: the fields before this one finished and are in data; this one did not run.",
		Fix:      "Retry exactly the fields that did not run; the others were written.",
		Retry:    RetryServerError,
		Patterns: []string{`^The request did not finish within \S+: this \S+ did not run; retry it\.$`},
	},
	{
		ID: "shopfloor-statement-timeout", Status: 500, Table: TableShopfloor, Cause: "Database statement timed out",
		Happened: "One of the field's database statements ran past the statement timeout and was cancelled; its siblings keep their data.",
		Fix:      "Narrow the filters or the page, then retry the field.",
		Retry:    RetryNever,
		Patterns: []string{`^A database statement ran longer than \S+ and was cancelled`},
	},
	{
		ID: "shopfloor-token-client", Status: 401, Table: TableShopfloor, Cause: "Token endpoint: client refused",
		Happened: "The token endpoint does not know the client_id, the secret is wrong, or the API key is disabled.",
		Fix:      "Check client_id and client_secret (a regenerated secret replaces the old one) and that the API key is enabled.",
		Retry:    RetryNever,
		Messages: []string{"Invalid client or Invalid client credentials"},
	},
	{
		ID: "shopfloor-token-request", Status: 400, Table: TableShopfloor, Cause: "Token endpoint: request refused",
		Happened: "The token request is malformed, or names a grant, scope, audience, code or refresh token the endpoint refuses.",
		Fix:      "Fix the token request as error_description says (grant_type, client_id, scope api:read/api:write, audience, the code's redirect_uri and PKCE verifier, a current refresh token).",
		Retry:    RetryNever,
		Patterns: []string{`^Missing (form )?parameter: `, `^Invalid (audience|scopes|parameter|refresh token)`, `^Unsupported grant_type$`, `^Malformed (JSON|form) body$`, `^Code not valid$`, `^Incorrect redirect_uri$`, `^PKCE `},
	},
}

func auth401(id, message, cause, fix string) Row {
	r := Row{ID: id, Status: 401, Table: Table401, Cause: cause, Fix: fix, Retry: RetryNever}
	if message[0] == '^' {
		r.Patterns = []string{message}
	} else {
		r.Messages = []string{message}
	}
	return r
}

func cause403(id, cause, happened, fix string, patterns ...string) Row {
	return Row{ID: id, Status: 403, Table: Table403, Cause: cause, Happened: happened, Fix: fix, Retry: RetryNever, Patterns: patterns}
}
