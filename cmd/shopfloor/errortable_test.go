package main

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/contract"
)

// GET /contract.json serves the contract's table to anyone, cacheable by its
// version, and the live server's errors classify by it to their rows.
func TestContractDocument(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	resp, err := http.Get(s.URL + "/contract.json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	etag := `"` + contract.Version + `"`
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" ||
		resp.Header.Get("Cache-Control") != "public, max-age=3600" || resp.Header.Get("ETag") != etag ||
		resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("GET /contract.json: %d %v", resp.StatusCode, resp.Header)
	}
	var doc contract.Document
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != contract.Version || !reflect.DeepEqual(doc.Rows, contract.Rows) || doc.Troubleshooting.ID != contract.Troubleshooting.ID || doc.Codes["FORBIDDEN"] != 403 {
		t.Fatalf("the document is not the table: %s", body)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/contract.json", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
	}

	// Live errors classify to their rows.
	readOnly := s.token(t, 0, shopfloor.RoleReadOnly)
	for _, tc := range []struct {
		r    gqlResponse
		want string
	}{
		{s.post(t, "", `{"query":"{ me { id } }"}`), "401-no-credentials"},
		{s.post(t, "Bearer abc", `{"query":"{ me { id } }"}`), "401-unparseable"},
		{s.post(t, "Bearer "+readOnly, `{"query":`), "status-400"},
		{s.gql(t, readOnly, `mutation { createLocation(input: {name: "Contract doc"}) { location { id } } }`, nil), "403-permission"},
		{s.gql(t, readOnly, `{ nope }`, nil), "shopfloor-graphql-document"},
	} {
		if len(tc.r.Errors) == 0 {
			t.Fatalf("no error: %s", tc.r.Raw)
		}
		e := tc.r.Errors[0]
		ext := map[string]any{"code": e.Extensions.Code, "status": float64(e.Extensions.Status)}
		if got := contract.Classify(tc.r.Status, e.Message, ext); got[0].ID != tc.want {
			t.Errorf("%d %q classified as %s, want %s", tc.r.Status, e.Message, got[0].ID, tc.want)
		}
	}
}
