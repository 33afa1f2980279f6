package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// readTestdata returns a file from testdata/ or stops the test.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tiffEntry is one 12-byte IFD entry with a value that fits in 4 bytes.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    [4]byte
}

// shortEntry is an entry of TIFF type SHORT (3) with one value.
func shortEntry(order binary.ByteOrder, tag, v uint16) tiffEntry {
	e := tiffEntry{tag: tag, typ: 3, count: 1}
	order.PutUint16(e.value[:], v)
	return e
}

// tiffWithIFD0 builds a minimal TIFF structure: header, then IFD0 at offset 8
// holding entries, linking to next (0 = no further IFD).
func tiffWithIFD0(order binary.ByteOrder, next uint32, entries ...tiffEntry) []byte {
	var b bytes.Buffer
	if order == binary.LittleEndian {
		b.WriteString("II*\x00")
	} else {
		b.WriteString("MM\x00*")
	}
	binary.Write(&b, order, uint32(8))
	binary.Write(&b, order, uint16(len(entries)))
	for _, e := range entries {
		binary.Write(&b, order, e.tag)
		binary.Write(&b, order, e.typ)
		binary.Write(&b, order, e.count)
		b.Write(e.value[:])
	}
	binary.Write(&b, order, next)
	return b.Bytes()
}

// app1 wraps payload in a JPEG APP1 marker segment.
func app1(payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// exifAPP1 is an APP1 segment carrying EXIF with the given Orientation.
func exifAPP1(order binary.ByteOrder, o uint16) []byte {
	const orientationTag = 0x0112
	return app1(append([]byte("Exif\x00\x00"), tiffWithIFD0(order, 0, shortEntry(order, orientationTag, o))...))
}

// withSegments inserts marker segments right after a JPEG's SOI marker.
func withSegments(jpg []byte, segments ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// block is the side of one cell of the test grid: one 4:2:0 JPEG MCU, so the
// colours of neighbouring cells do not bleed into each other.
const block = 16

// gridColours are the cells of the test grid, named A–F row by row:
//
//	A B
//	C D
//	E F
var gridColours = map[byte]color.RGBA{
	'A': {255, 0, 0, 255},     // red
	'B': {0, 200, 0, 255},     // green
	'C': {0, 0, 255, 255},     // blue
	'D': {255, 255, 0, 255},   // yellow
	'E': {0, 255, 255, 255},   // cyan
	'F': {255, 255, 255, 255}, // white
}

// gridJPEG encodes the 2×3 grid of cells as a JPEG, 2*block wide, 3*block high.
func gridJPEG(t testing.TB) []byte {
	t.Helper()
	rows := []string{"AB", "CD", "EF"}
	img := image.NewRGBA(image.Rect(0, 0, 2*block, 3*block))
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			img.SetRGBA(x, y, gridColours[rows[y/block][x/block]])
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// nearestCell names the grid colour closest to c.
func nearestCell(c color.Color) byte {
	r, g, b, _ := c.RGBA()
	best, bestDist := byte('?'), uint32(1<<32-1)
	for name, want := range gridColours {
		dr, dg, db := diff(r>>8, uint32(want.R)), diff(g>>8, uint32(want.G)), diff(b>>8, uint32(want.B))
		if d := dr*dr + dg*dg + db*db; d < bestDist {
			best, bestDist = name, d
		}
	}
	return best
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// encodePNG encodes img as PNG or stops the test.
func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeaderOnly is a PNG signature and an IHDR chunk declaring w×h, 8-bit RGB,
// with no pixel data at all: the shape of a decompression bomb's header.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // bit depth, colour type RGB
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))
	chunk = append(chunk, "IHDR"...)
	chunk = append(chunk, ihdr...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	return append([]byte("\x89PNG\r\n\x1a\n"), chunk...)
}

// jpegDeclaring is the grid JPEG with its frame header (SOF0) rewritten to
// declare w×h pixels while the scan still holds 32×48.
func jpegDeclaring(t testing.TB, w, h uint16) []byte {
	t.Helper()
	jpg := gridJPEG(t)
	sof := bytes.Index(jpg, []byte{0xFF, 0xC0})
	if sof < 0 {
		t.Fatal("no SOF0 marker in the encoded grid")
	}
	// FF C0, length (2), precision (1), height (2), width (2).
	binary.BigEndian.PutUint16(jpg[sof+5:], h)
	binary.BigEndian.PutUint16(jpg[sof+7:], w)
	return jpg
}

// segment is one JPEG marker segment with its length.
func segment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

// progressiveJPEG builds a valid grey progressive JPEG of side×side pixels with
// one DC scan followed by acScans AC scans. Each AC scan is 12 bytes: a single
// end-of-band run covering every block, the shape of a scan bomb.
func progressiveJPEG(side, acScans int) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xD8})
	dqt := bytes.Repeat([]byte{1}, 65)
	dqt[0] = 0 // table 0, 8-bit
	b.Write(segment(0xDB, dqt))
	b.Write(segment(0xC2, []byte{8, byte(side >> 8), byte(side), byte(side >> 8), byte(side), 1, 1, 0x11, 0}))
	oneCode := make([]byte, 16)
	oneCode[0] = 1                                                         // one code of length 1: "0"
	b.Write(segment(0xC4, append(append([]byte{0x00}, oneCode...), 0x00))) // DC: "0" = no change
	b.Write(segment(0xC4, append(append([]byte{0x10}, oneCode...), 0xE0))) // AC: "0" = end-of-band run, 14 more bits
	blocks := ((side + 7) / 8) * ((side + 7) / 8)
	b.Write(segment(0xDA, []byte{1, 1, 0x00, 0, 0, 0}))
	b.Write(make([]byte, (blocks+7)/8)) // one "0" bit per block
	for range acScans {
		b.Write(segment(0xDA, []byte{1, 1, 0x00, 1, 63, 0}))
		b.Write([]byte{0x7F, 0xFE}) // "0" then 14 ones: a run of 32 767 blocks
	}
	b.Write([]byte{0xFF, 0xD9})
	return b.Bytes()
}
