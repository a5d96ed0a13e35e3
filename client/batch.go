package client

import (
	"context"
	"encoding/json"
	"net/http"
)

// Operation is one operation of a batch, and Out what its data decodes into.
type Operation struct {
	Query string
	Vars  any
	Out   any
}

// Batch sends the operations in one request (a JSON array, answered in
// order) and returns each operation's error (nil, or an *Error, its data
// decoded beside it as Do does). The whole batch is retried as one request:
// after a 429 always, after a 5xx only when it holds no mutation or is
// marked Idempotent. err is the failure of the request as a whole.
func (c *Client) Batch(ctx context.Context, ops []Operation, opts ...CallOption) (errs []error, err error) {
	reqs := make([]request, len(ops))
	mutation := false
	for i, op := range ops {
		reqs[i] = request{Query: op.Query, Variables: op.Vars}
		mutation = mutation || isMutation(op.Query)
	}
	body, err := json.Marshal(reqs)
	if err != nil {
		return nil, err
	}
	ans, err := c.send(ctx, body, newCall(opts), mutation, retryable200)
	if err != nil {
		return nil, err
	}
	var resps []response
	if ans.status != http.StatusOK || json.Unmarshal(ans.body, &resps) != nil || len(resps) != len(ops) {
		var one response
		json.Unmarshal(ans.body, &one)
		return nil, ans.failure(one.Errors)
	}
	errs = make([]error, len(ops))
	for i, r := range resps {
		decodeErr := decodeData(r.Data, ops[i].Out)
		if len(r.Errors) > 0 {
			errs[i] = ans.failure(r.Errors)
		} else {
			errs[i] = decodeErr
		}
	}
	return errs, nil
}
