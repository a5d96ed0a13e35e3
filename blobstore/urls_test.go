package blobstore

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// A URL verifies for its own method and key until it expires, and not
// after, nor with another key, method or signing key.
func TestURLs(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	signer := &URLs{Base: "https://files.example/", Key: []byte("k1"), UploadTTL: time.Minute, DownloadTTL: 10 * time.Minute, Now: func() time.Time { return now }}
	raw := signer.UploadURL("7/ab cd.pdf")
	if !strings.HasPrefix(raw, "https://files.example/files/7/ab%20cd.pdf?") {
		t.Fatalf("upload URL %s", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	later := func(d time.Duration) *URLs {
		c := *signer
		c.Now = func() time.Time { return now.Add(d) }
		return &c
	}
	otherKey := *signer
	otherKey.Key = []byte("k2")
	for _, tc := range []struct {
		name        string
		signer      *URLs
		method, key string
		want        error
	}{
		{"in time", later(59 * time.Second), "PUT", "7/ab cd.pdf", nil},
		{"at expiry", later(time.Minute), "PUT", "7/ab cd.pdf", ErrExpired},
		{"a GET", signer, "GET", "7/ab cd.pdf", ErrBadSignature},
		{"another key", signer, "PUT", "7/ab cd.png", ErrBadSignature},
		{"another signing key", &otherKey, "PUT", "7/ab cd.pdf", ErrBadSignature},
	} {
		if err := tc.signer.Verify(tc.method, tc.key, q); err != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	q.Set("expires", "9999999999") // a later expiry breaks the signature
	if err := signer.Verify("PUT", "7/ab cd.pdf", q); err != ErrBadSignature {
		t.Errorf("extended expiry: %v", err)
	}
}
