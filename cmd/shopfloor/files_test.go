package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/s3test"
)

// engines are the two stores every domain is tested on.
var engines = []string{sqliteEngine, postgresEngine}

type attachment struct {
	ID          int64
	Etag        string `json:"_etag"`
	EntityID    int64
	Filename    string
	ContentType string
	S3Bucket    string
	S3Key       string
	DownloadURL string
	URL         string
	Size        *int64
	Sha256      *string
}

const attachmentFields = `id _etag entityId filename contentType s3Bucket s3Key downloadUrl url size sha256`

type testPart struct {
	ID       int64
	EntityID int64
	Etag     string `json:"_etag"`
}

// newPart makes a part of a name of its own.
func (s *testServer) newPart(t *testing.T, tok string) testPart {
	t.Helper()
	var out struct{ Part testPart }
	s.gql(t, tok, `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id entityId _etag } } }`,
		map[string]any{"n": unique("FILE")}).must(t).field(t, "createPart", &out)
	return out.Part
}

// attach runs createFileAttachment (or createAsset) and returns the
// attachment and its upload URL.
func (s *testServer) attach(t *testing.T, tok, field string, entityID int64, filename string) (attachment, string) {
	t.Helper()
	var out struct {
		FileAttachment attachment
		UploadURL      string
	}
	s.gql(t, tok, `mutation($in: CreateFileAttachmentInput!) { `+field+`(input: $in) { fileAttachment { `+attachmentFields+` } uploadUrl } }`,
		map[string]any{"in": map[string]any{"entityId": entityID, "filename": filename}}).must(t).field(t, field, &out)
	return out.FileAttachment, out.UploadURL
}

func (s *testServer) fileAttachment(t *testing.T, tok string, id int64) attachment {
	t.Helper()
	var a attachment
	s.gql(t, tok, `query($id: ID!) { fileAttachment(id: $id) { `+attachmentFields+` } }`, map[string]any{"id": id}).must(t).field(t, "fileAttachment", &a)
	return a
}

// put uploads body as ION's scripts do: a PUT with only Content-Type.
func put(t *testing.T, u, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, u, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// wantRefusal checks an answer outside GraphQL: this HTTP status and one
// error of the contract's shape with this message.
func wantRefusal(t *testing.T, status int, raw []byte, wantStatus int, message string) {
	t.Helper()
	var body struct {
		Errors []gqlError
	}
	if err := json.Unmarshal(raw, &body); err != nil || status != wantStatus || len(body.Errors) != 1 ||
		body.Errors[0].Message != message || body.Errors[0].Extensions.Status != wantStatus {
		t.Fatalf("want %d %q, got %d %s", wantStatus, message, status, raw)
	}
}

// ION's two-step flow: createFileAttachment on a part's entityId returns
// the upload URL; a PUT with only Content-Type stores the content, once;
// downloadUrl and url end in the extension and a plain GET reads it; the
// part lists it, its thumbnail is its latest image, and its etag is left
// alone.
func TestFileAttachmentUploadAndDownload(t *testing.T) {
	t.Parallel()
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := sharedServer(t, engine)
			tok := s.token(t, 0, shopfloor.RoleAdmin)
			part := s.newPart(t, tok)
			pdf, uploadURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "Drawing Rev A.pdf")
			if pdf.ContentType != "application/pdf" || pdf.EntityID != part.EntityID || pdf.Size != nil || pdf.Sha256 != nil ||
				!strings.HasPrefix(uploadURL, s.URL+"/files/") || pdf.S3Bucket != "local" || !strings.HasSuffix(pdf.S3Key, ".pdf") {
				t.Fatalf("attachment %+v, upload URL %s", pdf, uploadURL)
			}
			content := bytes.Repeat([]byte("%PDF-1.7 drawing "), 4096)
			req, _ := http.NewRequest(http.MethodPut, uploadURL, bytes.NewReader(content))
			req.Header.Set("Content-Type", pdf.ContentType)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != `"`+sha256Hex(string(content))+`"` {
				t.Fatalf("PUT: %v %+v", err, resp)
			}
			resp.Body.Close()
			status, raw := put(t, uploadURL, pdf.ContentType, strings.NewReader("overwrite"))
			wantRefusal(t, status, raw, http.StatusForbidden, "The upload URL has already been used; request a new one.")

			got := s.fileAttachment(t, tok, pdf.ID)
			if got.Size == nil || *got.Size != int64(len(content)) || got.Sha256 == nil || *got.Sha256 != sha256Hex(string(content)) {
				t.Fatalf("recorded %+v", got)
			}
			for _, u := range []string{got.DownloadURL, got.URL} {
				parsed, err := url.Parse(u)
				if err != nil || path.Ext(parsed.Path) != ".pdf" {
					t.Fatalf("download URL %s does not end in .pdf", u)
				}
				res, err := httpGet(u)
				if err != nil || res.status != http.StatusOK || !bytes.Equal(res.body, content) {
					t.Fatalf("GET %s: %v %d (%d bytes)", u, err, res.status, len(res.body))
				}
			}

			png, pngURL := s.attach(t, tok, "createAsset", part.EntityID, "photo.PNG")
			if png.ContentType != "image/png" {
				t.Fatalf("png content type %q", png.ContentType)
			}
			var p struct {
				Etag            string `json:"_etag"`
				FileAttachments []attachment
				Thumbnail       *struct{ S3Key, S3Bucket, URL string }
			}
			partQuery := `query($id: ID!) { part(id: $id) { _etag fileAttachments { id s3Key } thumbnail { s3Key s3Bucket url } } }`
			s.gql(t, tok, partQuery, map[string]any{"id": part.ID}).must(t).field(t, "part", &p)
			if p.Thumbnail != nil || len(p.FileAttachments) != 2 || p.FileAttachments[0].ID != pdf.ID || p.FileAttachments[1].ID != png.ID {
				t.Fatalf("before the image's upload: %+v", p)
			}
			if status, raw := put(t, pngURL, "image/png", strings.NewReader("\x89PNG fake")); status != http.StatusOK {
				t.Fatalf("PUT png: %d %s", status, raw)
			}
			s.gql(t, tok, partQuery, map[string]any{"id": part.ID}).must(t).field(t, "part", &p)
			if p.Thumbnail == nil || p.Thumbnail.S3Key != png.S3Key || p.Etag != part.Etag {
				t.Fatalf("after: %+v (etag was %s)", p, part.Etag)
			}
			if res, err := httpGet(p.Thumbnail.URL); err != nil || string(res.body) != "\x89PNG fake" {
				t.Fatalf("thumbnail GET: %v %+v", err, res)
			}
		})
	}
}

// ION's documented three-step flow: requestFileUploadUrl, the PUT, then
// createFileAttachment with the s3Key (and the s3Etag, not needed).
func TestFileThreeStepUpload(t *testing.T) {
	t.Parallel()
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := sharedServer(t, engine)
			tok := s.token(t, 0, shopfloor.RoleAdmin)
			part := s.newPart(t, tok)
			var req struct{ UploadURL, S3Key, ContentType string }
			s.gql(t, tok, `query { requestFileUploadUrl(filename: "notes.txt") { uploadUrl s3Key contentType } }`, nil).must(t).field(t, "requestFileUploadUrl", &req)
			if req.ContentType != "text/plain; charset=utf-8" || !strings.HasSuffix(req.S3Key, ".txt") {
				t.Fatalf("upload %+v", req)
			}
			attach := `mutation($in: CreateFileAttachmentInput!) { createFileAttachment(input: $in) { fileAttachment { ` + attachmentFields + ` } uploadUrl } }`
			in := map[string]any{"entityId": part.EntityID, "s3Key": req.S3Key, "s3Etag": "abc"}
			s.gql(t, tok, attach, map[string]any{"in": in}).wantError(t, http.StatusOK, 422,
				fmt.Sprintf("FileAttachment s3Key '%s' has not been uploaded yet.", req.S3Key))
			if status, raw := put(t, req.UploadURL, req.ContentType, strings.NewReader("three steps")); status != http.StatusOK {
				t.Fatalf("PUT: %d %s", status, raw)
			}
			var out struct {
				FileAttachment attachment
				UploadURL      *string
			}
			s.gql(t, tok, attach, map[string]any{"in": in}).must(t).field(t, "createFileAttachment", &out)
			if out.UploadURL != nil || out.FileAttachment.Filename != "notes.txt" || out.FileAttachment.Size == nil || *out.FileAttachment.Size != 11 {
				t.Fatalf("attached %+v", out)
			}
			// Another organization cannot attach it.
			other := s.token(t, 1, shopfloor.RoleAdmin)
			otherPart := s.newPart(t, other)
			in["entityId"] = otherPart.EntityID
			s.gql(t, other, attach, map[string]any{"in": in}).wantError(t, http.StatusOK, 422,
				fmt.Sprintf("FileAttachment s3Key '%s' is not an upload of this organization.", req.S3Key))
		})
	}
}

// File URLs refused: a signature that does not match, a GET with a PUT's
// signature, an entity of another organization; each changes nothing.
func TestFileURLRefusals(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	part := s.newPart(t, tok)
	a, uploadURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "a.csv")
	tampered := strings.Replace(uploadURL, "signature=", "signature=0", 1)
	status, raw := put(t, tampered, "text/csv", strings.NewReader("x"))
	wantRefusal(t, status, raw, http.StatusForbidden, "The file URL's signature is not valid.")
	res, err := httpGet(uploadURL) // the PUT's signature does not sign a GET
	if err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, res.status, res.body, http.StatusForbidden, "The file URL's signature is not valid.")
	res, _ = httpGet(a.DownloadURL)
	wantRefusal(t, res.status, res.body, http.StatusNotFound, fmt.Sprintf("File %s has not been uploaded yet.", a.S3Key))
	if got := s.fileAttachment(t, tok, a.ID); got.Size != nil {
		t.Fatalf("refused PUT stored content: %+v", got)
	}
	other := s.token(t, 1, shopfloor.RoleAdmin)
	s.gql(t, other, `mutation($in: CreateFileAttachmentInput!) { createFileAttachment(input: $in) { uploadUrl } }`,
		map[string]any{"in": map[string]any{"entityId": part.EntityID, "filename": "x.txt"}}).
		wantError(t, http.StatusOK, 404, fmt.Sprintf("Entity with id %d not found.", part.EntityID))
	s.gql(t, tok, `mutation($in: CreateFileAttachmentInput!) { createFileAttachment(input: $in) { uploadUrl } }`,
		map[string]any{"in": map[string]any{"entityId": part.EntityID, "filename": "../etc/passwd"}}).
		wantError(t, http.StatusOK, 422, `FileAttachment filename must be a file name, without '/' or '\'.`)
}

// An upload URL serves one upload at a time: while a PUT streams into it
// (its headers read and the URL claimed, which the server's 100 Continue
// shows), another PUT of it is refused; once the first finishes, the URL
// is used up.
func TestUploadURLInUse(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	a, uploadURL := s.attach(t, tok, "createFileAttachment", s.newPart(t, tok).EntityID, "slow.bin")
	content := "the first upload's content"
	conn := openPut(t, uploadURL, len(content), "Expect: 100-continue\r\n")
	defer conn.Close()
	answers := bufio.NewReader(conn)
	if line, err := answers.ReadString('\n'); err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("first PUT: %q %v", line, err)
	}
	answers.ReadString('\n') // the 100's empty line
	status, raw := put(t, uploadURL, "application/octet-stream", strings.NewReader("a second upload"))
	wantRefusal(t, status, raw, http.StatusForbidden, "The upload URL is being used by another upload.")
	io.WriteString(conn, content)
	if line, err := answers.ReadString('\n'); err != nil || line != "HTTP/1.1 200 OK\r\n" {
		t.Fatalf("first PUT finished: %q %v", line, err)
	}
	status, raw = put(t, uploadURL, "application/octet-stream", strings.NewReader("a third upload"))
	wantRefusal(t, status, raw, http.StatusForbidden, "The upload URL has already been used; request a new one.")
	if res, _ := httpGet(s.fileAttachment(t, tok, a.ID).DownloadURL); string(res.body) != content {
		t.Fatalf("stored: %d %q", res.status, res.body)
	}
}

// Upload and download URLs expire: past --upload-url-ttl the PUT, and past
// --download-url-ttl the GET, is the contract's 403.
func TestFileURLsExpire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--upload-url-ttl", "1s", "--download-url-ttl", "1s")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	part := s.newPart(t, tok)
	early, earlyURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "early.txt")
	if status, raw := put(t, earlyURL, "text/plain", strings.NewReader("in time")); status != http.StatusOK {
		t.Fatalf("PUT in time: %d %s", status, raw)
	}
	download := s.fileAttachment(t, tok, early.ID).DownloadURL
	late, lateURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "late.txt")
	time.Sleep(2 * time.Second) // past both TTLs (whole seconds)
	status, raw := put(t, lateURL, "text/plain", strings.NewReader("too late"))
	wantRefusal(t, status, raw, http.StatusForbidden, "The file URL has expired; request a new one.")
	res, _ := httpGet(download)
	wantRefusal(t, res.status, res.body, http.StatusForbidden, "The file URL has expired; request a new one.")
	if got := s.fileAttachment(t, tok, late.ID); got.Size != nil {
		t.Fatalf("expired PUT stored content: %+v", got)
	}
	if res, _ := httpGet(s.fileAttachment(t, tok, early.ID).DownloadURL); string(res.body) != "in time" {
		t.Fatalf("a fresh download URL: %d %s", res.status, res.body)
	}
}

// openPut dials the server of uploadURL and sends a PUT's headers (extra
// ones each end in \r\n), declaring a body of declared bytes, which the
// caller sends on the connection.
func openPut(t *testing.T, uploadURL string, declared int, extra string) net.Conn {
	t.Helper()
	u, err := url.Parse(uploadURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n", u.RequestURI(), u.Host, declared, extra)
	return conn
}

// killUpload sends a PUT whose body stops halfway, then drops the
// connection, as a client killed mid-upload does.
func killUpload(t *testing.T, uploadURL string, declared int, sent []byte) {
	t.Helper()
	conn := openPut(t, uploadURL, declared, "")
	conn.Write(sent)
	conn.Close()
}

// waitKilled waits until the server has answered the broken-off PUT of
// key (its request log line, status 400).
func (s *testServer) waitKilled(t *testing.T, key string) {
	t.Helper()
	line := `"method":"PUT","path":"/files/` + key + `","status":400`
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.Stderr.String(), line) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line %s", line)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A client killed mid-upload leaves nothing: no object (nor a partial
// one) in the blob store, no content recorded, and the URL still unused,
// so the client's retry stores the whole file.
func TestKilledUploadLeavesNothing(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	part := s.newPart(t, tok)
	a, uploadURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "big.bin")
	content := bytes.Repeat([]byte{0xab}, 1<<20)
	killUpload(t, uploadURL, len(content), content[:len(content)/3])
	s.waitKilled(t, a.S3Key)
	wantNoObject(t, filepath.Join(s.Dir, "blobs"), a.S3Key)
	if got := s.fileAttachment(t, tok, a.ID); got.Size != nil || got.Sha256 != nil {
		t.Fatalf("a killed upload recorded content: %+v", got)
	}
	res, _ := httpGet(a.DownloadURL)
	wantRefusal(t, res.status, res.body, http.StatusNotFound, fmt.Sprintf("File %s has not been uploaded yet.", a.S3Key))

	if status, raw := put(t, uploadURL, "application/octet-stream", bytes.NewReader(content)); status != http.StatusOK {
		t.Fatalf("the retry: %d %s", status, raw)
	}
	got := s.fileAttachment(t, tok, a.ID)
	if got.Size == nil || *got.Size != int64(len(content)) || *got.Sha256 != sha256Hex(string(content)) {
		t.Fatalf("after the retry: %+v", got)
	}
}

// wantNoObject fails unless the directory of key under root holds no file
// named after key (the object or a partial write of it).
func wantNoObject(t *testing.T, root, key string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, filepath.Dir(key)))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	stem := strings.TrimSuffix(filepath.Base(key), filepath.Ext(key))
	for _, e := range entries {
		if strings.Contains(e.Name(), stem) {
			t.Fatalf("a killed upload left %s", e.Name())
		}
	}
}

// The S3 backend against a real S3-compatible server (versitygw on
// loopback): the content goes to the bucket, streams back, and a killed
// upload leaves no object there.
func TestS3Backend(t *testing.T) {
	t.Parallel()
	gw := s3test.Start(t)
	s := startServer(t, "--blob-url", gw.BlobURL())
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	part := s.newPart(t, tok)
	a, uploadURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "scan.jpg")
	if a.S3Bucket != gw.Bucket {
		t.Fatalf("s3Bucket %q", a.S3Bucket)
	}
	content := bytes.Repeat([]byte("jpeg bytes "), 300000) // 3.3 MB
	if status, raw := put(t, uploadURL, "image/jpeg", bytes.NewReader(content)); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, raw)
	}
	stored, err := os.ReadFile(filepath.Join(gw.Root, gw.Bucket, a.S3Key))
	if err != nil || !bytes.Equal(stored, content) {
		t.Fatalf("the bucket holds %d bytes (%v)", len(stored), err)
	}
	got := s.fileAttachment(t, tok, a.ID)
	if res, err := httpGet(got.DownloadURL); err != nil || !bytes.Equal(res.body, content) || *got.Sha256 != sha256Hex(string(content)) {
		t.Fatalf("GET: %v %d (%d bytes)", err, res.status, len(res.body))
	}

	b, uploadURL := s.attach(t, tok, "createFileAttachment", part.EntityID, "half.jpg")
	killUpload(t, uploadURL, len(content), content[:len(content)/2])
	s.waitKilled(t, b.S3Key)
	wantNoObject(t, filepath.Join(gw.Root, gw.Bucket), b.S3Key)
	if got := s.fileAttachment(t, tok, b.ID); got.Size != nil {
		t.Fatalf("a killed upload recorded content: %+v", got)
	}
}

// The demo's first part in each organization has a drawing (its
// thumbnail) and inspection notes, downloadable at once.
func TestDemoAttachments(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	for org, number := range []string{"ACME-1000", "GBX-1000"} {
		var parts struct {
			Edges []struct {
				Node struct {
					FileAttachments []attachment
					Thumbnail       *struct{ URL string }
				}
			}
		}
		s.gql(t, s.token(t, org, shopfloor.RoleReadOnly), `query($n: String) { parts(filters: {partNumber: {eq: $n}, revision: {eq: "A"}}) { edges { node {
			fileAttachments { filename contentType size downloadUrl } thumbnail { url } } } } }`, map[string]any{"n": number}).must(t).field(t, "parts", &parts)
		if len(parts.Edges) != 1 {
			t.Fatalf("%s: %+v", number, parts)
		}
		p := parts.Edges[0].Node
		if len(p.FileAttachments) != 2 || p.FileAttachments[0].Filename != "bracket-drawing.svg" || p.FileAttachments[1].ContentType != "text/plain; charset=utf-8" || p.Thumbnail == nil {
			t.Fatalf("%s: %+v", number, p)
		}
		res, err := httpGet(p.Thumbnail.URL)
		if err != nil || res.status != http.StatusOK || !strings.HasPrefix(string(res.body), "<svg") {
			t.Fatalf("%s thumbnail: %v %d %s", number, err, res.status, res.body)
		}
	}
}
