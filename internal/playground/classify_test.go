package playground

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/shopfloor-dev/shopfloor/contract"
)

// classifyCase is one error for both classifiers.
type classifyCase struct {
	HTTP       int            `json:"http"`
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// The page's classify.js, reading GET /contract.json, matches every error
// to the same rows as Go's contract.Classify: each exact message of the
// table, with its class's extensions, as a bare HTTP answer and with no
// status at all, and messages that only patterns or nothing recognise.
func TestClassifyMatchesGo(t *testing.T) {
	t.Parallel()
	cases := []classifyCase{
		{200, "User does not have permission to perform UPDATE on Part Inventory.", map[string]any{"code": "FORBIDDEN", "status": 403}},
		{200, "Part with id 42 not found.", map[string]any{"code": "NOT_FOUND", "status": 404}},
		{200, "Part with id 42 not found.", map[string]any{"code": "FORBIDDEN"}},
		{200, "PartInventory quantity must be greater than 0.", map[string]any{"code": "VALIDATION_ERROR", "status": 422}},
		{429, "Rate limit exceeded: retry after 3 seconds.", nil},
		{504, "The request did not finish within 30s and was cancelled; retry with a smaller page.", nil},
		{200, "Something no row knows.", nil},
		{503, "Something no row knows.", nil},
		{200, "Query depth 14 exceeds the maximum of 12.", map[string]any{"status": 422.0}},
		{200, "Rate limit exceeded: retry after 3 seconds.", map[string]any{"status": 400}}, // the message names another class
		{400, "Malformed request: the body is not valid JSON.", map[string]any{"code": "BAD_REQUEST"}},
		{401, "User ann@acme.example is deactivated", nil},
		{200, "User ann@acme.example is deactivated and may not perform this operation.", map[string]any{"code": "FORBIDDEN", "status": 403}},
		{200, "Approval gate not satisfied: publishing procedure 3 still needs QE.", nil},
		{403, "Origin https://evil.example is not allowed: register it as an origin URI of an OAuth app.", nil},
		{404, "No such endpoint: /nothing", nil},
		{400, "Missing parameter: client_id", nil},
		{200, "A database statement ran longer than 10s and was cancelled; narrow the filters or the page.", map[string]any{"code": "GATEWAY_TIMEOUT"}},
		{200, "Token organization 1 does not grant access to organization 2.", nil},
	}
	for _, r := range append(contract.Rows, contract.Troubleshooting) {
		for _, m := range r.Messages {
			cases = append(cases,
				classifyCase{200, m, map[string]any{"status": r.Status}},
				classifyCase{r.Status, m, nil},
				classifyCase{200, m, nil})
		}
	}
	plan, err := json.Marshal(map[string]any{"contract": json.RawMessage(contract.JSON), "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import { classify } from './src/classify.js';
import { readFileSync } from 'node:fs';
const { contract, cases } = JSON.parse(readFileSync(0, 'utf8'));
console.log(JSON.stringify(cases.map((c) => classify(contract, c.http, c.message, c.extensions).map((r) => r.id))));`
	cmd := exec.CommandContext(t.Context(), "node", "--input-type=module", "-e", script)
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stderr = bytes.NewReader(plan), &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got [][]string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("node printed %s (%v)", out, err)
	}
	for i, c := range cases {
		var want []string
		for _, r := range contract.Classify(c.HTTP, c.Message, c.Extensions) {
			want = append(want, r.ID)
		}
		if !slices.Equal(got[i], want) {
			t.Errorf("%d %q %v: classify.js %v, Go %v", c.HTTP, c.Message, c.Extensions, got[i], want)
		}
	}
}
