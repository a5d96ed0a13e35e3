package blobstore

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// Path is where file URLs live: Path + the object's key, which ends in the
// file's extension.
const Path = "/files/"

// Default lifetimes of signed URLs.
const (
	DefaultUploadTTL   = 15 * time.Minute
	DefaultDownloadTTL = 15 * time.Minute
)

// URLs signs and checks the URLs of files: an upload URL allows one PUT of
// an object's content, a download URL GETs of it, each until it expires.
// The key is the store's (shopfloor.FileService.FileURLKey), so every
// replica accepts the URLs every other signed.
type URLs struct {
	Base                   string // the server's public base URL
	Key                    []byte
	UploadTTL, DownloadTTL time.Duration
	Now                    func() time.Time
}

// The refusals of a file URL: the contract's 403.
var (
	ErrBadSignature = shopfloor.Errorf(shopfloor.CodeForbidden, "The file URL's signature is not valid.")
	ErrExpired      = shopfloor.Errorf(shopfloor.CodeForbidden, "The file URL has expired; request a new one.")
	ErrUsed         = shopfloor.Errorf(shopfloor.CodeForbidden, "The upload URL has already been used; request a new one.")
	ErrInUse        = shopfloor.Errorf(shopfloor.CodeForbidden, "The upload URL is being used by another upload.")
)

// UploadURL is the URL that PUTs key's content, valid UploadTTL from now.
func (u *URLs) UploadURL(key string) string {
	return u.sign("PUT", key, u.Now().Add(u.UploadTTL))
}

// DownloadURL is the URL that GETs key's content, valid DownloadTTL from
// now.
func (u *URLs) DownloadURL(key string) string {
	return u.sign("GET", key, u.Now().Add(u.DownloadTTL))
}

func (u *URLs) sign(method, key string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{"expires": {exp}, "signature": {u.mac(method, key, exp)}}
	return strings.TrimSuffix(u.Base, "/") + Path + escapeKey(key) + "?" + q.Encode()
}

// Verify checks that q signs method on key and has not expired.
func (u *URLs) Verify(method, key string, q url.Values) error {
	exp := q.Get("expires")
	if !hmac.Equal([]byte(q.Get("signature")), []byte(u.mac(method, key, exp))) {
		return ErrBadSignature
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if !u.Now().Before(time.Unix(unix, 0)) {
		return ErrExpired
	}
	return nil
}

func (u *URLs) mac(method, key, expires string) string {
	m := hmac.New(sha256.New, u.Key)
	m.Write([]byte(method + "\n" + key + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// escapeKey escapes each segment of key for a URL path.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
