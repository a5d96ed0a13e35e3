package blobstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/wire"
	"gocloud.dev/blob"
)

// Handler serves the signed file URLs without credentials, as ION's
// clients use them: PUT streams a body into the blob store (once per
// upload), GET streams it back. Neither holds a whole file in memory.
type Handler struct {
	Store  shopfloor.FileContent
	Bucket *Bucket
	URLs   *URLs
	// UploadTimeout bounds one PUT; its claim of the upload lapses then.
	UploadTimeout time.Duration
	Logger        *slog.Logger
}

// ServeHTTP answers PUT and GET of Path + key.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if err := h.URLs.Verify(method, key, r.URL.Query()); err != nil {
		h.fail(w, err)
		return
	}
	u, err := h.Store.FileUploadByKey(r.Context(), key)
	if err != nil {
		h.fail(w, err)
		return
	}
	if r.Method == http.MethodPut {
		h.upload(w, r, u)
	} else {
		h.download(w, r, u)
	}
}

// upload streams the body into the object, hashing it on the way, and
// records it only once all of it is stored: a body that breaks off leaves
// no object and the URL unused.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, u *shopfloor.FileUpload) {
	if u.UploadedAt != nil {
		h.fail(w, ErrUsed)
		return
	}
	ok, err := h.Store.ClaimFileUpload(r.Context(), u.S3Key, h.URLs.Now().Add(h.UploadTimeout))
	if err != nil {
		h.fail(w, err)
		return
	}
	if !ok {
		h.fail(w, ErrInUse)
		return
	}
	size, sum, err := h.write(r, u)
	if err == nil {
		w.Header().Set("ETag", `"`+sum+`"`) // as S3 answers; ION's three-step flow sends it back as s3Etag
		if err = h.Store.FinishFileUpload(context.WithoutCancel(r.Context()), u.S3Key, size, sum); err != nil {
			h.Bucket.Delete(context.WithoutCancel(r.Context()), u.S3Key)
		}
	}
	if err != nil {
		if rerr := h.Store.ReleaseFileUpload(context.WithoutCancel(r.Context()), u.S3Key); rerr != nil {
			h.Logger.Error("file upload release", "key", u.S3Key, "error", rerr.Error())
		}
		if errors.Is(err, errBody) {
			h.fail(w, shopfloor.Errorf(shopfloor.CodeBadRequest, "Malformed request: the upload body broke off before its end."))
			return
		}
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// errBody marks a failure to read the request body.
var errBody = errors.New("blobstore: request body")

type bodyReader struct{ io.Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err != nil && err != io.EOF {
		err = errors.Join(errBody, err)
	}
	return n, err
}

// write copies the body into the object and returns its size and SHA-256;
// on any failure the write is aborted, which leaves no object.
func (h *Handler) write(r *http.Request, u *shopfloor.FileUpload) (int64, string, error) {
	ctx, abort := context.WithCancel(r.Context())
	defer abort()
	bw, err := h.Bucket.NewWriter(ctx, u.S3Key, &blob.WriterOptions{ContentType: u.ContentType})
	if err != nil {
		return 0, "", err
	}
	hash := sha256.New()
	size, err := io.Copy(io.MultiWriter(bw, hash), bodyReader{r.Body})
	if err != nil {
		abort()
		bw.Close()
		return 0, "", err
	}
	if err := bw.Close(); err != nil {
		return 0, "", err
	}
	return size, hex.EncodeToString(hash.Sum(nil)), nil
}

// download streams the object's content.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, u *shopfloor.FileUpload) {
	if u.UploadedAt == nil {
		h.fail(w, shopfloor.Errorf(shopfloor.CodeNotFound, "File %s has not been uploaded yet.", u.S3Key))
		return
	}
	br, err := h.Bucket.NewReader(r.Context(), u.S3Key, nil)
	if err != nil {
		h.fail(w, err)
		return
	}
	defer br.Close()
	w.Header().Set("Content-Type", u.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(*u.Size, 10))
	w.Header().Set("ETag", `"`+*u.SHA256+`"`)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, br); err != nil {
		h.Logger.Info("file download broke off", "key", u.S3Key, "error", err.Error())
	}
}

// fail answers err in the contract's shape; an error that is not the
// contract's is logged and answered 500.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	var e *shopfloor.Error
	if !errors.As(err, &e) || e.Code == shopfloor.CodeInternal {
		h.Logger.Error("file", "error", err.Error())
		wire.WriteError(w, shopfloor.CodeInternal, shopfloor.MsgInternal)
		return
	}
	wire.WriteError(w, e.Code, e.Message)
}
