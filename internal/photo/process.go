package photo

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// Content types Process accepts and returns.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// DefaultMaxEdge is the longest side, in pixels, of a stored photo. It is plenty
// for seeing a broken lamp or a pothole, and keeps storage and page weight small.
const DefaultMaxEdge = 2048

// jpegQuality is the quality of re-encoded JPEGs: visually clean at a third of
// the size of a phone camera's output.
const jpegQuality = 85

var (
	// ErrNotImage means the upload is not a JPEG or PNG that decodes, whatever its
	// name or declared content type says (HTTP 415 or 422).
	ErrNotImage = errors.New("photo: not a JPEG or PNG image")
	// ErrTooLarge means the upload has more bytes, or its header declares more
	// pixels, than allowed (HTTP 413).
	ErrTooLarge = errors.New("photo: too large")
)

// Photo is a cleaned image ready to store: freshly encoded bytes without any
// metadata, turned upright.
type Photo struct {
	Bytes       []byte
	ContentType string // JPEG or PNG
	Width       int
	Height      int
	SHA256      [32]byte // of Bytes: content address, duplicate check, ETag
}

// Options are the limits applied to one upload.
type Options struct {
	MaxBytes  int64 // largest accepted upload; must be positive
	MaxPixels int   // largest accepted width×height before decoding; must be positive
	MaxEdge   int   // longest side of the result; 0 means no downscaling
}

// Process cleans one upload with DefaultMaxEdge; see Options.Process.
func Process(r io.Reader, maxBytes int64, maxPixels int) (Photo, error) {
	return Options{MaxBytes: maxBytes, MaxPixels: maxPixels, MaxEdge: DefaultMaxEdge}.Process(r)
}

// Process reads at most MaxBytes+1 bytes from r and returns the cleaned photo.
// Errors wrap ErrTooLarge or ErrNotImage when the upload is at fault; any other
// error comes from reading r.
func (o Options) Process(r io.Reader) (Photo, error) {
	if o.MaxBytes <= 0 || o.MaxPixels <= 0 || o.MaxEdge < 0 {
		return Photo{}, fmt.Errorf("photo: invalid limits %+v", o)
	}
	// One byte more than allowed tells "exactly at the limit" from "over it"
	// without reading an arbitrarily large body.
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		return Photo{}, fmt.Errorf("photo: reading upload: %w", err)
	}
	if int64(len(data)) > o.MaxBytes {
		return Photo{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, o.MaxBytes)
	}

	contentType := sniff(data)
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch contentType {
	case JPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case PNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	default:
		return Photo{}, ErrNotImage
	}

	// The header is read before any pixel buffer is allocated: a few kilobytes
	// of PNG can declare a 100 000 × 100 000 image.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return Photo{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Photo{}, ErrNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(o.MaxPixels) {
		return Photo{}, fmt.Errorf("%w: %d×%d pixels, at most %d allowed", ErrTooLarge, cfg.Width, cfg.Height, o.MaxPixels)
	}
	if contentType == JPEG && jpegScans(data) > maxScans {
		return Photo{}, fmt.Errorf("%w: more than %d JPEG scans", ErrTooLarge, maxScans)
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return Photo{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}

	orientation := upright
	if contentType == JPEG {
		orientation = jpegOrientation(data)
	}
	img = downscale(img, o.MaxEdge)
	img = orientation.apply(img)

	// Encoding from pixels alone is what strips EXIF, XMP, ICC and text chunks:
	// neither encoder writes any metadata.
	var out bytes.Buffer
	if contentType == JPEG {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
	}
	if err != nil {
		return Photo{}, fmt.Errorf("photo: encoding %s: %w", contentType, err)
	}
	b := img.Bounds()
	return Photo{
		Bytes:       out.Bytes(),
		ContentType: contentType,
		Width:       b.Dx(),
		Height:      b.Dy(),
		SHA256:      sha256.Sum256(out.Bytes()),
	}, nil
}

// sniff names the format from the file's magic number, never from a name or a
// declared type; it returns "" for anything but JPEG and PNG.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	}
	return ""
}
