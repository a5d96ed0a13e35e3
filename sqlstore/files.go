package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// uploadColumn is the SQL expression of a column of an attachment's upload.
func uploadColumn(col string) string {
	return "(SELECT u." + col + " FROM file_uploads u WHERE u.s3_key = f.s3_key AND u.uploaded_at IS NOT NULL)"
}

var fileAttachments = &table[shopfloor.FileAttachment]{
	entity: "FileAttachment", name: "file_attachments", alias: "f",
	selects: "f.id, f.org_id, f.entity_id, f.filename, f.content_type, f.s3_key, f.asset, " + uploadColumn("size") + ", " + uploadColumn("sha256") + ", " +
		"f.etag, f.created_at, f.updated_at, f.created_by_id, f.updated_by_id",
	fields: map[string]column{
		"id":       {"f.id", kindID},
		"entityId": {"f.entity_id", kindID},
		"filename": {"f.filename", kindText},
	},
	dest: func(v *shopfloor.FileAttachment) []any {
		return []any{&v.ID, &v.OrgID, &v.EntityID, &v.Filename, &v.ContentType, &v.S3Key, &v.Asset, &v.Size, &v.SHA256,
			&v.Etag, &v.CreatedAt, &v.UpdatedAt, &v.CreatedByID, &v.UpdatedByID}
	},
}

const uploadSelects = "s3_key, org_id, filename, content_type, uploaded_at, size, sha256"

func scanUpload(sc scanner) (*shopfloor.FileUpload, error) {
	var u shopfloor.FileUpload
	err := sc.Scan(&u.S3Key, &u.OrgID, &u.Filename, &u.ContentType, &u.UploadedAt, &u.Size, &u.SHA256)
	return &u, err
}

// FileAttachment returns one attachment of the caller's org.
func (s *Store) FileAttachment(ctx context.Context, id int64) (*shopfloor.FileAttachment, error) {
	return get(ctx, s, fileAttachments, id)
}

// FileAttachmentsByEntityIDs returns the caller's live attachments of each
// entity, in id order.
func (s *Store) FileAttachmentsByEntityIDs(ctx context.Context, entityIDs []int64) (map[int64][]shopfloor.FileAttachment, error) {
	return grouped(ctx, s, fileAttachments, "", "f.entity_id", entityIDs)
}

// newUploadKey is a fresh object key for a file of org: unguessable, and
// ending in the file's extension, as the URLs that name it do.
func newUploadKey(orgID int64, filename string) string {
	return strconv.FormatInt(orgID, 10) + "/" + randomHex(16) + strings.ToLower(path.Ext(filename))
}

// insertUpload makes the upload a URL will write.
func (s *Store) insertUpload(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, filename string) (*shopfloor.FileUpload, error) {
	u := &shopfloor.FileUpload{S3Key: newUploadKey(p.OrgID, filename), OrgID: p.OrgID, Filename: filename, ContentType: shopfloor.ContentTypeOf(filename)}
	_, err := s.exec(ctx, tx, "INSERT INTO file_uploads (s3_key, org_id, filename, content_type, created_at) VALUES (?, ?, ?, ?, ?)",
		u.S3Key, u.OrgID, u.Filename, u.ContentType, s.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: insert upload: %w", err)
	}
	return u, nil
}

// CreateFileUpload makes an upload for a file not yet attached (ION's
// requestFileUploadUrl); createFileAttachment attaches it by its key.
func (s *Store) CreateFileUpload(ctx context.Context, filename string) (_ *shopfloor.FileUpload, err error) {
	defer s.classify(&err)
	p, err := shopfloor.Authorize(ctx, "CreateFileAttachment")
	if err != nil {
		return nil, err
	}
	if err := shopfloor.ValidateFilename(&filename); err != nil {
		return nil, err
	}
	var u *shopfloor.FileUpload
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		u, err = s.insertUpload(ctx, tx, p, filename)
		return err
	})
	return u, err
}

// CreateFileAttachment attaches a file to a live entity of the caller's
// org. Without an s3Key it makes the upload the file's content goes to,
// returned with it; with one, it attaches that upload, which must be the
// org's and finished. Attaching changes no other row (nor its etag).
func (s *Store) CreateFileAttachment(ctx context.Context, f shopfloor.FileAttachmentFields) (_ *shopfloor.FileAttachment, _ *shopfloor.FileUpload, err error) {
	perm := shopfloor.Permission("CreateFileAttachment")
	if f.Asset {
		perm = "CreateAsset"
	}
	var upload *shopfloor.FileUpload
	a, err := mutate(ctx, s, fileAttachments, perm, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if f.EntityID == nil {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "FileAttachment entityId is required.")
		}
		if ok, err := s.hasAny(ctx, tx, "SELECT 1 FROM entities WHERE id = ? AND org_id = ?", *f.EntityID, p.OrgID); err != nil {
			return 0, err
		} else if !ok {
			return 0, shopfloor.NotFound("Entity", *f.EntityID)
		}
		if f.S3Key != nil {
			u, err := s.attachableUpload(ctx, tx, p, *f.S3Key)
			if err != nil {
				return 0, err
			}
			if f.Filename == nil {
				f.Filename = &u.Filename
			}
			if err := shopfloor.ValidateFilename(f.Filename); err != nil {
				return 0, err
			}
		} else {
			if err := shopfloor.ValidateFilename(f.Filename); err != nil {
				return 0, err
			}
			u, err := s.insertUpload(ctx, tx, p, *f.Filename)
			if err != nil {
				return 0, err
			}
			upload, f.S3Key = u, &u.S3Key
		}
		var c changes
		c.set("entity_id", *f.EntityID)
		c.set("s3_key", *f.S3Key)
		c.set("filename", *f.Filename)
		c.set("content_type", shopfloor.ContentTypeOf(*f.Filename))
		c.set("asset", f.Asset)
		return s.insert(ctx, tx, fileAttachments.name, p, c)
	})
	if err != nil {
		return nil, nil, err
	}
	return a, upload, nil
}

// attachableUpload is the caller's finished upload of key.
func (s *Store) attachableUpload(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, key string) (*shopfloor.FileUpload, error) {
	u, err := scanUpload(s.queryRow(ctx, tx, "SELECT "+uploadSelects+" FROM file_uploads WHERE s3_key = ? AND org_id = ?", key, p.OrgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "FileAttachment s3Key '%s' is not an upload of this organization.", key)
	} else if err != nil {
		return nil, err
	}
	if u.UploadedAt == nil {
		return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "FileAttachment s3Key '%s' has not been uploaded yet.", key)
	}
	return u, nil
}

// DeleteFileAttachment soft-deletes an attachment; its content stays in
// the blob store (other attachments may name the same upload).
func (s *Store) DeleteFileAttachment(ctx context.Context, id int64, etag string) error {
	return remove(ctx, s, fileAttachments, "DeleteFileAttachment", id, etag, nil)
}

// FileUploadByKey returns the upload of key, of whichever organization:
// the file endpoints hold a signed key, not a principal.
func (s *Store) FileUploadByKey(ctx context.Context, key string) (_ *shopfloor.FileUpload, err error) {
	defer s.classify(&err)
	u, err := scanUpload(s.queryRow(ctx, s.read, "SELECT "+uploadSelects+" FROM file_uploads WHERE s3_key = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "File %s not found.", key)
	}
	return u, err
}

// ClaimFileUpload holds key's unfinished upload for one PUT until until; a
// claim whose PUT died lapses then.
func (s *Store) ClaimFileUpload(ctx context.Context, key string, until time.Time) (_ bool, err error) {
	defer s.classify(&err)
	now := s.Now().UTC()
	res, err := s.exec(ctx, s.write, "UPDATE file_uploads SET uploading_until = ? WHERE s3_key = ? AND uploaded_at IS NULL AND (uploading_until IS NULL OR uploading_until < ?)",
		until.UTC(), key, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseFileUpload gives up the claim of a PUT that failed, so that the
// URL may be used again.
func (s *Store) ReleaseFileUpload(ctx context.Context, key string) (err error) {
	defer s.classify(&err)
	_, err = s.exec(ctx, s.write, "UPDATE file_uploads SET uploading_until = NULL WHERE s3_key = ? AND uploaded_at IS NULL", key)
	return err
}

// FinishFileUpload records the content of key's upload: from now on it is
// downloadable, and its URL used up.
func (s *Store) FinishFileUpload(ctx context.Context, key string, size int64, sha256 string) (err error) {
	defer s.classify(&err)
	_, err = s.exec(ctx, s.write, "UPDATE file_uploads SET uploaded_at = ?, size = ?, sha256 = ?, uploading_until = NULL WHERE s3_key = ? AND uploaded_at IS NULL",
		s.Now().UTC(), size, sha256, key)
	return err
}

// FileURLKey is the key that signs file URLs: made once, by the first
// replica that needs it, and read by every other.
func (s *Store) FileURLKey(ctx context.Context) ([]byte, error) {
	return s.serverSecret(ctx, "file-url-key")
}

// serverSecret returns the secret name, made (32 random bytes) if there is
// none yet; two replicas racing to make it agree on the one stored.
func (s *Store) serverSecret(ctx context.Context, name string) (_ []byte, err error) {
	defer s.classify(&err)
	if _, err := s.exec(ctx, s.write, "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, randomHex(32)); err != nil {
		return nil, fmt.Errorf("sqlstore: server secret: %w", err)
	}
	var v string
	if err := s.queryRow(ctx, s.write, "SELECT value FROM server_secrets WHERE name = ?", name).Scan(&v); err != nil {
		return nil, fmt.Errorf("sqlstore: server secret: %w", err)
	}
	return hex.DecodeString(v)
}
