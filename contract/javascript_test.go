package contract_test

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor/contract"
)

// matchInJavaScript runs each pattern of the table against each message
// with JavaScript's RegExp (Node.js), as a browser reading /contract.json does.
const matchInJavaScript = `
const {patterns, messages} = JSON.parse(require("fs").readFileSync(0, "utf8"));
const res = patterns.map(p => new RegExp(p));
console.log(JSON.stringify(messages.map(m => res.map(re => re.test(m)))));
`

// Every pattern matches every message the server writes exactly as Go's
// regexp does, so a browser classifies as Classify does.
func TestPatternsMatchAlikeInJavaScript(t *testing.T) {
	t.Parallel()
	var patterns, messages []string
	for _, r := range contract.Rows {
		patterns = append(patterns, r.Patterns...)
	}
	for _, m := range serverMessages(t) {
		messages = append(messages, m.message)
	}
	messages = append(messages, "User ann@acme.example is deactivated", "Login domain 'x.example' is not valid for this organization", "Part with id 42 not found.")
	input, _ := json.Marshal(map[string]any{"patterns": patterns, "messages": messages})
	cmd := exec.Command("node", "-e", matchInJavaScript)
	cmd.Stdin = strings.NewReader(string(input))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var js [][]bool
	if err := json.Unmarshal(out, &js); err != nil {
		t.Fatal(err)
	}
	for i, m := range messages {
		for j, p := range patterns {
			if goMatch := regexp.MustCompile(p).MatchString(m); goMatch != js[i][j] {
				t.Errorf("pattern %q on %q: Go %v, JavaScript %v", p, m, goMatch, js[i][j])
			}
		}
	}
}
