package graph

import (
	"context"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/graph/model"
)

// attach is createFileAttachment and createAsset: the attachment, and the
// URL its content is PUT to when the call made the upload.
func (r *Resolver) attach(ctx context.Context, input model.CreateFileAttachmentInput, asset bool) (*model.FileAttachmentPayload, error) {
	a, upload, err := r.Store.CreateFileAttachment(ctx, shopfloor.FileAttachmentFields{
		EntityID: input.EntityID, Filename: input.Filename, S3Key: input.S3Key, Asset: asset})
	if err != nil {
		return nil, err
	}
	out := &model.FileAttachmentPayload{FileAttachment: a}
	if upload != nil {
		u := r.Files.UploadURL(upload.S3Key)
		out.UploadURL = &u
	}
	return out, nil
}

// thumbnail is the latest of files that is an uploaded image, or nil.
func (r *Resolver) thumbnail(files []shopfloor.FileAttachment) *model.Thumbnail {
	for i := len(files) - 1; i >= 0; i-- {
		f := &files[i]
		if f.Size != nil && strings.HasPrefix(f.ContentType, "image/") {
			url := r.Files.DownloadURL(f.S3Key)
			return &model.Thumbnail{S3Key: &f.S3Key, S3Bucket: &r.Bucket, URL: &url}
		}
	}
	return nil
}
