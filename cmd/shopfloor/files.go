package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"time"

	"github.com/shopfloor-dev/shopfloor/blobstore"
	"github.com/shopfloor-dev/shopfloor/server"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// fileFlags are serve's settings of files: where their content is kept,
// and how long their signed URLs and uploads last.
type fileFlags struct {
	blobURL                                     string
	uploadURLTTL, downloadURLTTL, uploadTimeout time.Duration
}

func (f *fileFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.blobURL, "blob-url", getenv("SHOPFLOOR_BLOB_URL"), "where files' content is kept: s3://BUCKET?endpoint=…&region=… (replicas) or file:///DIR (default: DATA/blobs)")
	fs.DurationVar(&f.uploadURLTTL, "upload-url-ttl", blobstore.DefaultUploadTTL, "how long an upload URL is valid (it is also single-use)")
	fs.DurationVar(&f.downloadURLTTL, "download-url-ttl", blobstore.DefaultDownloadTTL, "how long a download URL is valid")
	fs.DurationVar(&f.uploadTimeout, "upload-timeout", server.DefaultUploadTimeout, "longest one upload's body may take to arrive")
}

func (f *fileFlags) check() error {
	if f.uploadURLTTL <= 0 || f.downloadURLTTL <= 0 || f.uploadTimeout <= 0 {
		return errors.New("serve: --upload-url-ttl, --download-url-ttl and --upload-timeout must be positive")
	}
	return nil
}

// openFiles opens the blob store and the handler of its signed URLs, which
// the store's key signs, as every replica's.
func openFiles(ctx context.Context, f fileFlags, dataDir, base string, store *sqlstore.Store, logger *slog.Logger) (*blobstore.Handler, error) {
	key, err := store.FileURLKey(ctx)
	if err != nil {
		return nil, err
	}
	bucket, err := blobstore.Open(ctx, f.blobURL, dataDir)
	if err != nil {
		return nil, err
	}
	urls := &blobstore.URLs{Base: base, Key: key, UploadTTL: f.uploadURLTTL, DownloadTTL: f.downloadURLTTL, Now: store.Now}
	return &blobstore.Handler{Store: store, Bucket: bucket, URLs: urls, UploadTimeout: f.uploadTimeout, Logger: logger}, nil
}
