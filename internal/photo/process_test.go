package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"testing/iotest"

	"github.com/rwcarlsen/goexif/exif"
)

// streetlight_gps.jpg (see testdata) is 640×480, tagged Orientation 6, with GPS,
// DateTimeOriginal and the camera make "TestCam", model "Phone-1".
func TestProcessStripsEXIFAndTurnsUpright(t *testing.T) {
	in := readTestdata(t, "streetlight_gps.jpg")
	// Preconditions: the upload really carries what must disappear.
	x, err := exif.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatalf("test file has no EXIF: %v", err)
	}
	if lat, lon, err := x.LatLong(); err != nil || lat < 59.30 || lat > 59.32 || lon < 14.10 || lon > 14.12 {
		t.Fatalf("test file GPS = %v, %v, %v; want about 59.3096, 14.1086", lat, lon, err)
	}
	if !bytes.Contains(in, []byte("TestCam")) {
		t.Fatal("test file does not contain its camera make")
	}

	p, err := Process(bytes.NewReader(in), 10<<20, 40<<20)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != JPEG || p.Width != 480 || p.Height != 640 {
		t.Errorf("got %s %d×%d, want image/jpeg 480×640", p.ContentType, p.Width, p.Height)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.Bytes))
	if err != nil || cfg.Width != 480 || cfg.Height != 640 {
		t.Errorf("stored bytes decode as %d×%d (%v), want 480×640", cfg.Width, cfg.Height, err)
	}
	if bytes.Contains(p.Bytes, []byte("Exif\x00")) {
		t.Error("stored bytes contain an EXIF segment")
	}
	if exifSegment(p.Bytes) != nil {
		t.Error("stored bytes have an EXIF APP1 segment")
	}
	if _, err := exif.Decode(bytes.NewReader(p.Bytes)); err == nil {
		t.Error("goexif still finds EXIF in the stored bytes")
	}
	for _, s := range []string{"TestCam", "Phone-1", "2026:11:20"} {
		if bytes.Contains(p.Bytes, []byte(s)) {
			t.Errorf("stored bytes contain %q", s)
		}
	}
	if p.SHA256 != sha256.Sum256(p.Bytes) {
		t.Errorf("SHA256 = %x, want the digest of Bytes", p.SHA256)
	}
}

func TestProcessPNGKeepsPixelsDropsChunks(t *testing.T) {
	in := readTestdata(t, "tiny.png")
	p, err := Process(bytes.NewReader(in), 1<<20, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != PNG || p.Width != 64 || p.Height != 64 {
		t.Fatalf("got %s %d×%d, want image/png 64×64", p.ContentType, p.Width, p.Height)
	}
	// tiny.png carries gAMA, cHRM, bKGD and tIME chunks; none is pixel data.
	for _, chunk := range []string{"tIME", "gAMA", "cHRM", "bKGD", "tEXt", "eXIf"} {
		if bytes.Contains(p.Bytes, []byte(chunk)) {
			t.Errorf("stored PNG contains a %s chunk", chunk)
		}
	}
	assertSamePixels(t, in, p.Bytes)

	// Translucent pixels must survive re-encoding unchanged.
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	img.SetNRGBA(1, 1, color.NRGBA{10, 20, 30, 128})
	in = encodePNG(t, img)
	p, err = Process(bytes.NewReader(in), 1<<20, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	assertSamePixels(t, in, p.Bytes)
}

func assertSamePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for y := range ia.Bounds().Dy() {
		for x := range ia.Bounds().Dx() {
			if ca, cb := color.NRGBAModel.Convert(ia.At(x, y)), color.NRGBAModel.Convert(ib.At(x, y)); ca != cb {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, cb, ca)
			}
		}
	}
}

func TestProcessRefuses(t *testing.T) {
	jpg := readTestdata(t, "streetlight_gps.jpg")
	tiny := readTestdata(t, "tiny.png") // 280 bytes, 64×64
	tests := []struct {
		name      string
		data      []byte
		maxBytes  int64
		maxPixels int
		want      error
	}{
		{"text named .jpg (starts GIF89a)", readTestdata(t, "not_an_image.jpg"), 1 << 20, 1 << 20, ErrNotImage},
		{"empty", nil, 1 << 20, 1 << 20, ErrNotImage},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 1 << 20, 1 << 20, ErrNotImage},
		{"WebP", []byte("RIFF\x1a\x00\x00\x00WEBPVP8 "), 1 << 20, 1 << 20, ErrNotImage},
		{"HTML", []byte("<html><script>alert(1)</script>"), 1 << 20, 1 << 20, ErrNotImage},
		{"JPEG magic, then nothing", []byte("\xFF\xD8\xFF\xE0"), 1 << 20, 1 << 20, ErrNotImage},
		{"JPEG cut in half", jpg[:len(jpg)/2], 1 << 20, 1 << 20, ErrNotImage},
		{"PNG magic, then text", []byte("\x89PNG\r\n\x1a\nhello"), 1 << 20, 1 << 20, ErrNotImage},
		{"PNG header without pixels", pngHeaderOnly(8, 8), 1 << 20, 1 << 20, ErrNotImage},
		{"one byte over the byte limit", tiny, int64(len(tiny)) - 1, 1 << 20, ErrTooLarge},
		{"one pixel over the pixel limit", tiny, 1 << 20, 64*64 - 1, ErrTooLarge},
		{"JPEG over the pixel limit", jpg, 1 << 20, 640*480 - 1, ErrTooLarge},
		{"bomb: 100 000 × 100 000 declared", pngHeaderOnly(100_000, 100_000), 1 << 20, 50_000_000, ErrTooLarge},
		{"scan bomb: progressive JPEG with 101 scans", progressiveJPEG(64, 100), 1 << 20, 1 << 20, ErrTooLarge},
		{"bomb: JPEG declaring 65 535 × 65 535", jpegDeclaring(t, 65535, 65535), 1 << 20, 50_000_000, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tt.data), tt.maxBytes, tt.maxPixels)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestProcessAtTheLimits(t *testing.T) {
	tiny := readTestdata(t, "tiny.png")
	if _, err := Process(bytes.NewReader(tiny), int64(len(tiny)), 64*64); err != nil {
		t.Errorf("upload exactly at both limits refused: %v", err)
	}
}

func TestProcessAcceptsProgressiveJPEG(t *testing.T) {
	for _, acScans := range []int{1, 9, maxScans - 1} { // plus the DC scan
		p, err := Process(bytes.NewReader(progressiveJPEG(40, acScans)), 1<<20, 1<<20)
		if err != nil || p.Width != 40 || p.Height != 40 {
			t.Errorf("%d scans: %d×%d, %v; want 40×40", acScans+1, p.Width, p.Height, err)
		}
	}
}

func TestJPEGScans(t *testing.T) {
	grid := gridJPEG(t)
	// An APP2 segment (where ICC profiles live) whose bytes look like SOS markers.
	decoy := segment(0xE2, bytes.Repeat([]byte{0xFF, 0xDA, 0x00, 0x08}, 50))
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"baseline", grid, 1},
		{"FF DA inside another segment", withSegments(grid, decoy), 1},
		{"progressive", progressiveJPEG(16, 9), 10},
		{"truncated before any scan", grid[:20], 0},
		{"EXIF segment", withSegments(grid, exifAPP1(binary.BigEndian, 6)), 1},
	}
	for _, tt := range tests {
		if got := jpegScans(tt.data); got != tt.want {
			t.Errorf("%s: %d scans, want %d", tt.name, got, tt.want)
		}
	}
}

func TestProcessReadsNoMoreThanTheLimit(t *testing.T) {
	r := &countingReader{r: bytes.NewReader(make([]byte, 1<<20))}
	_, err := Process(r, 1000, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if r.n > 1001 {
		t.Errorf("read %d bytes for a limit of 1000", r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestProcessReaderError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Process(iotest.ErrReader(boom), 1000, 1000)
	if !errors.Is(err, boom) || errors.Is(err, ErrNotImage) || errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want the reader's error and no upload error", err)
	}
}

func TestProcessInvalidLimits(t *testing.T) {
	tiny := readTestdata(t, "tiny.png")
	for _, o := range []Options{{MaxBytes: 0, MaxPixels: 1}, {MaxBytes: 1, MaxPixels: 0}, {MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxEdge: -1}} {
		if _, err := o.Process(bytes.NewReader(tiny)); err == nil || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotImage) {
			t.Errorf("%+v: err = %v, want a programming error", o, err)
		}
	}
}

func TestProcessDownscales(t *testing.T) {
	grid := gridJPEG(t) // 32×48
	tests := []struct {
		name         string
		data         []byte
		maxEdge      int
		wantW, wantH int
	}{
		{"wide PNG", encodePNG(t, image.NewGray(image.Rect(0, 0, 300, 100))), 100, 100, 33},
		{"tall PNG", encodePNG(t, image.NewGray(image.Rect(0, 0, 100, 300))), 100, 33, 100},
		{"already small enough", encodePNG(t, image.NewGray(image.Rect(0, 0, 100, 30))), 100, 100, 30},
		{"no limit", encodePNG(t, image.NewGray(image.Rect(0, 0, 300, 100))), 0, 300, 100},
		// Scaled to 16×24, then turned: rotation swaps the sides after scaling.
		{"JPEG on its side", withSegments(grid, exifAPP1(binary.BigEndian, 6)), 24, 24, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Options{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxEdge: tt.maxEdge}.Process(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if p.Width != tt.wantW || p.Height != tt.wantH {
				t.Errorf("size %d×%d, want %d×%d", p.Width, p.Height, tt.wantW, tt.wantH)
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Bytes))
			if err != nil || cfg.Width != p.Width || cfg.Height != p.Height {
				t.Errorf("bytes decode as %d×%d (%v), Photo says %d×%d", cfg.Width, cfg.Height, err, p.Width, p.Height)
			}
		})
	}
}

func TestFitWithin(t *testing.T) {
	tests := []struct{ w, h, edge, wantW, wantH int }{
		{4032, 3024, 2048, 2048, 1536},
		{3024, 4032, 2048, 1536, 2048},
		{3000, 1000, 2048, 2048, 683}, // 682.67 rounds up
		{5000, 1, 2048, 2048, 1},      // never below one pixel
		{2049, 2049, 2048, 2048, 2048},
	}
	for _, tt := range tests {
		if w, h := fitWithin(tt.w, tt.h, tt.edge); w != tt.wantW || h != tt.wantH {
			t.Errorf("fitWithin(%d, %d, %d) = %d×%d, want %d×%d", tt.w, tt.h, tt.edge, w, h, tt.wantW, tt.wantH)
		}
	}
}
