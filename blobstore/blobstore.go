// Package blobstore keeps files' content behind one interface
// (gocloud.dev/blob): a directory under the data directory by default,
// S3-compatible object storage by URL for replicas. It signs the URLs
// clients upload to and download from without credentials, and serves them.
package blobstore

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs
)

// Bucket is an open blob store and the name it goes by (FileAttachment's
// s3Bucket).
type Bucket struct {
	*blob.Bucket
	Name string
}

// Open opens the blob store at rawURL: s3://bucket?endpoint=…&region=…
// (credentials from the AWS environment or files) or file:///dir; with no
// URL, the directory blobs/ under dataDir.
func Open(ctx context.Context, rawURL, dataDir string) (*Bucket, error) {
	if rawURL == "" {
		dir := filepath.Join(dataDir, "blobs")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("blobstore: %w", err)
		}
		// Metadata stays in the store: no .attrs file beside each object;
		// partial uploads are written beside the objects, then renamed.
		b, err := fileblob.OpenBucket(dir, &fileblob.Options{Metadata: fileblob.MetadataDontWrite, NoTempDir: true})
		if err != nil {
			return nil, fmt.Errorf("blobstore: %w", err)
		}
		return &Bucket{Bucket: b, Name: "local"}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blobstore: --blob-url: %w", err)
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	name := u.Host
	if u.Scheme == "file" {
		name = "local"
	}
	return &Bucket{Bucket: b, Name: name}, nil
}
