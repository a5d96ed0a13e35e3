package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// explain says, offline, the status class, cause and fix of a message or
// payload, and the troubleshooting flow for an unknown message.
func TestExplain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"Token is expired"}, []string{
			"Token is expired\n",
			"  status  401 Unauthorized\n",
			"  cause   The access token's exp claim has passed (401 table)\n",
			"  fix     Refresh the token for OAuth, or re-issue it for an API key.\n",
			"  retry   never\n",
		}},
		{[]string{`{"data":null,"errors":[{"message":"User does not have permission to perform UPDATE on Purchase Order.","path":["updatePurchaseOrder"],"extensions":{"code":"FORBIDDEN","status":403}},{"message":"Concurrent modification detected — etag mismatch."}]}`}, []string{
			"  status  403 Forbidden\n",
			"  cause   Missing role permission (403 table)\n",
			"  fix     An admin grants the role the missing permission, or assigns the user a role that has it.\n",
			"Concurrent modification detected — etag mismatch.\n  status  409 Conflict\n",
			"  1. Re-read the entity to get the latest _etag and the latest field values.\n",
			"  retry   re-read\n",
		}},
		{[]string{"--status", "502", "<html>Bad Gateway</html>"}, []string{
			"  status  5xx Server error\n",
			"  retry   server-error\n",
			"  unknown message: the contract's troubleshooting flow\n",
			"  1. Check the HTTP status.\n",
		}},
		{[]string{"Gremlins ate it."}, []string{
			"Gremlins ate it.\n  unknown message: the contract's troubleshooting flow\n",
			"  5. If you're still stuck, reproduce the call in the API Playground",
		}},
		{[]string{`{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`}, []string{
			"  cause   Token endpoint: client refused (Shopfloor)\n",
		}},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"explain"}, tc.args...), func(string) string { return "" }, &out, &errOut); err != nil {
			t.Fatalf("explain %v: %v %s", tc.args, err, errOut.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("explain %v: no %q in:\n%s", tc.args, w, out.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"explain"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Error("explain without a message succeeded")
	}
}
