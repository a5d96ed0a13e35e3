package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
	"gocloud.dev/blob"
)

// Blobs is where the demo attachments' content is written: the server's
// blob store (blobstore.Bucket).
type Blobs interface {
	WriteAll(ctx context.Context, key string, p []byte, opts *blob.WriterOptions) error
}

// demoDrawing is a part drawing, an image, so it is the part's thumbnail.
const demoDrawing = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120">
<rect x="20" y="30" width="200" height="60" fill="none" stroke="#1f4e79" stroke-width="3"/>
<circle cx="60" cy="60" r="10" fill="none" stroke="#1f4e79" stroke-width="3"/>
<circle cx="180" cy="60" r="10" fill="none" stroke="#1f4e79" stroke-width="3"/>
<text x="120" y="112" font-family="sans-serif" font-size="12" text-anchor="middle">BRACKET, 6061-T6, 200 x 60 mm</text>
</svg>
`

const demoNotes = "Inspection notes\n- Deburr all edges.\n- Check hole spacing 120 mm +/- 0.1.\n- Anodize clear after inspection.\n"

// seedFiles attaches a drawing (its thumbnail) and inspection notes to
// part, with their content in files, as an upload through the API leaves
// them.
func seedFiles(ctx context.Context, s *sqlstore.Store, files Blobs, part *shopfloor.Part) error {
	for _, f := range []struct{ name, content string }{{"bracket-drawing.svg", demoDrawing}, {"inspection-notes.txt", demoNotes}} {
		_, upload, err := s.CreateFileAttachment(ctx, shopfloor.FileAttachmentFields{EntityID: &part.EntityID, Filename: &f.name})
		if err != nil {
			return err
		}
		if err := files.WriteAll(ctx, upload.S3Key, []byte(f.content), &blob.WriterOptions{ContentType: upload.ContentType}); err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(f.content))
		if err := s.FinishFileUpload(ctx, upload.S3Key, int64(len(f.content)), hex.EncodeToString(sum[:])); err != nil {
			return err
		}
	}
	return nil
}
