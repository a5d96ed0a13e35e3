package shopfloor

import (
	"context"
	"mime"
	"path"
	"strings"
	"time"
)

// FileAttachment is a file attached to an entity by its entityId. Its
// content is in the blob store under S3Key once its upload has finished.
type FileAttachment struct {
	ID          int64
	OrgID       int64
	EntityID    int64
	Filename    string
	ContentType string // derived from the filename's extension
	S3Key       string
	// Asset marks an attachment made by createAsset (a step's asset).
	Asset bool
	// Size and SHA256 (hex) are the uploaded content's; nil until the
	// upload has finished.
	Size        *int64
	SHA256      *string
	Etag        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedByID *int64
	UpdatedByID *int64
}

// FileUpload is one upload URL's object: its key, and its content once a
// PUT has streamed all of it.
type FileUpload struct {
	S3Key       string
	OrgID       int64
	Filename    string
	ContentType string
	UploadedAt  *time.Time
	Size        *int64
	SHA256      *string
}

// MaxFilename bounds a file's name.
const MaxFilename = 255

// ContentTypeOf derives a file's content type from its name's extension
// (application/octet-stream when it has none that is known).
func ContentTypeOf(filename string) string {
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(filename))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ValidateFilename checks a file's name: given, at most MaxFilename
// characters, a name and not a path.
func ValidateFilename(filename *string) error {
	c := &check{entity: "FileAttachment"}
	if c.text("filename", filename, true, MaxFilename); c.err != nil {
		return c.err
	}
	if strings.ContainsAny(*filename, "/\\\x00") || *filename == "." || *filename == ".." {
		return Errorf(CodeInvalid, "FileAttachment filename must be a file name, without '/' or '\\'.")
	}
	return nil
}

// FileAttachmentFields are what creates an attachment: the owner's
// entityId and the file's name, or (ION's three-step flow) the key of an
// upload already made with requestFileUploadUrl.
type FileAttachmentFields struct {
	EntityID *int64
	Filename *string
	S3Key    *string
	Asset    bool
}

// FileService keeps file attachments and their uploads.
type FileService interface {
	FileAttachment(ctx context.Context, id int64) (*FileAttachment, error)
	// FileAttachmentsByEntityIDs returns the live attachments of each
	// entity, in id order.
	FileAttachmentsByEntityIDs(ctx context.Context, entityIDs []int64) (map[int64][]FileAttachment, error)
	// CreateFileAttachment makes an attachment and, unless it names an
	// upload already made, the upload its content goes to.
	CreateFileAttachment(ctx context.Context, f FileAttachmentFields) (*FileAttachment, *FileUpload, error)
	DeleteFileAttachment(ctx context.Context, id int64, etag string) error
	// CreateFileUpload makes an upload for a file not yet attached.
	CreateFileUpload(ctx context.Context, filename string) (*FileUpload, error)
	// FileUploadURLKey is the key that signs file URLs, the same for every
	// replica of the store.
	FileURLKey(ctx context.Context) ([]byte, error)
}

// FileContent is what the unauthenticated file endpoints need of the store:
// they hold no principal, only a signed key.
type FileContent interface {
	// FileUploadByKey returns the upload of key, of any organization.
	FileUploadByKey(ctx context.Context, key string) (*FileUpload, error)
	// ClaimFileUpload holds key's upload for one PUT until until; false
	// when it has finished or another PUT holds it.
	ClaimFileUpload(ctx context.Context, key string, until time.Time) (bool, error)
	// ReleaseFileUpload gives up a claim whose PUT failed.
	ReleaseFileUpload(ctx context.Context, key string) error
	// FinishFileUpload records the content of key's upload.
	FinishFileUpload(ctx context.Context, key string, size int64, sha256 string) error
}
