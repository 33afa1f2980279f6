package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"testing"
)

// FuzzProcess feeds arbitrary bytes to Process. Whatever comes in, Process must
// not panic or hang, must refuse with one of its sentinels, or return an image
// within the limits whose bytes decode to the stated type and size and carry no
// EXIF segment.
func FuzzProcess(f *testing.F) {
	for _, name := range []string{"streetlight_gps.jpg", "tiny.png", "not_an_image.jpg"} {
		f.Add(readTestdata(f, name))
	}
	grid := gridJPEG(f)
	f.Add(withSegments(grid, exifAPP1(binary.LittleEndian, 7)))
	f.Add(pngHeaderOnly(100_000, 100_000))
	f.Add(jpegDeclaring(f, 65535, 65535))
	f.Add(progressiveJPEG(64, 20))

	const maxBytes, maxPixels, maxEdge = 1 << 20, 1 << 20, 256
	opts := Options{MaxBytes: maxBytes, MaxPixels: maxPixels, MaxEdge: maxEdge}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := opts.Process(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error is neither ErrNotImage nor ErrTooLarge: %v", err)
			}
			return
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Bytes))
		if err != nil {
			t.Fatalf("result does not decode: %v", err)
		}
		if "image/"+format != p.ContentType || cfg.Width != p.Width || cfg.Height != p.Height {
			t.Fatalf("result is %s %d×%d, Photo says %s %d×%d", format, cfg.Width, cfg.Height, p.ContentType, p.Width, p.Height)
		}
		if p.Width > maxEdge || p.Height > maxEdge || p.Width*p.Height > maxPixels {
			t.Fatalf("result %d×%d exceeds the limits", p.Width, p.Height)
		}
		if exifSegment(p.Bytes) != nil {
			t.Fatal("result carries EXIF")
		}
	})
}
