package photo

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"testing"

	"github.com/rwcarlsen/goexif/exif"
)

// TestProcessOrientation uploads the A–F grid (see gridColours) tagged with each
// EXIF orientation and checks where every cell ends up. The expected layouts
// were worked out by hand from the tag's definition (which stored side is the
// visual top and left), not from the code under test.
func TestProcessOrientation(t *testing.T) {
	tests := []struct {
		orientation uint16
		want        []string // upright picture, cell names row by row
	}{
		{1, []string{"AB", "CD", "EF"}},
		{2, []string{"BA", "DC", "FE"}},
		{3, []string{"FE", "DC", "BA"}},
		{4, []string{"EF", "CD", "AB"}},
		{5, []string{"ACE", "BDF"}},
		{6, []string{"ECA", "FDB"}},
		{7, []string{"FDB", "ECA"}},
		{8, []string{"BDF", "ACE"}},
	}
	grid := gridJPEG(t)
	for _, order := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		for _, tt := range tests {
			upload := withSegments(grid, exifAPP1(order, tt.orientation))
			p, err := Process(bytes.NewReader(upload), 1<<20, 1<<20)
			if err != nil {
				t.Fatalf("orientation %d (%v): %v", tt.orientation, order, err)
			}
			wantW, wantH := len(tt.want[0])*block, len(tt.want)*block
			if p.Width != wantW || p.Height != wantH {
				t.Errorf("orientation %d (%v): size %d×%d, want %d×%d", tt.orientation, order, p.Width, p.Height, wantW, wantH)
				continue
			}
			img, err := jpeg.Decode(bytes.NewReader(p.Bytes))
			if err != nil {
				t.Fatal(err)
			}
			for row, cells := range tt.want {
				for col := range len(cells) {
					got := nearestCell(img.At(col*block+block/2, row*block+block/2))
					if got != cells[col] {
						t.Errorf("orientation %d (%v): cell at row %d column %d is %c, want %c", tt.orientation, order, row, col, got, cells[col])
					}
				}
			}
		}
	}
}

func TestJPEGOrientation(t *testing.T) {
	be := binary.BigEndian
	grid := gridJPEG(t)
	xmp := app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	// IFD0 at offset 8 (one entry, Orientation 6) links to an IFD at offset 26
	// with no entries that links back to IFD0: a loop of two directories.
	loop := tiffWithIFD0(be, 26, shortEntry(be, 0x0112, 6))
	loop = append(loop, 0, 0, 0, 0, 0, 8)
	if len(loop) != 32 {
		t.Fatalf("loop TIFF is %d bytes, the offsets above assume 32", len(loop))
	}
	tests := []struct {
		name string
		data []byte
		want orientation
	}{
		{"no EXIF", grid, upright},
		{"rotate 90° clockwise", withSegments(grid, exifAPP1(be, 6)), rotate90CW},
		{"EXIF after an XMP segment", withSegments(grid, xmp, exifAPP1(be, 8)), rotate90CCW},
		{"value out of range", withSegments(grid, exifAPP1(be, 9)), upright},
		{"value zero", withSegments(grid, exifAPP1(be, 0)), upright},
		{"IFDs linking to each other", withSegments(grid, app1(append([]byte("Exif\x00\x00"), loop...))), rotate90CW},
		{"EXIF that is not TIFF", withSegments(grid, app1([]byte("Exif\x00\x00XX*\x00\x00\x00\x00\x08"))), upright},
		{"IFD0 beyond the segment", withSegments(grid, app1([]byte("Exif\x00\x00MM\x00*\x00\x00\x10\x00"))), upright},
		// Count 0x80000001 SHORTs: 2 bytes after 32-bit overflow; goexif then
		// allocates 16 GiB for the values.
		{"count whose byte length overflows", withSegments(grid, app1(append([]byte("Exif\x00\x00"),
			tiffWithIFD0(be, 0, tiffEntry{tag: 0x0112, typ: 3, count: 0x80000001, value: [4]byte{0, 6}})...))), upright},
		{"Orientation as one LONG", withSegments(grid, app1(append([]byte("Exif\x00\x00"),
			tiffWithIFD0(be, 0, tiffEntry{tag: 0x0112, typ: 4, count: 1, value: [4]byte{0, 0, 0, 3}})...))), rotate180},
		{"Orientation as text", withSegments(grid, app1(append([]byte("Exif\x00\x00"),
			tiffWithIFD0(be, 0, tiffEntry{tag: 0x0112, typ: 2, count: 2, value: [4]byte{'6', 0}})...))), upright},
		{"Orientation after other tags", withSegments(grid, app1(append([]byte("Exif\x00\x00"),
			tiffWithIFD0(be, 0, shortEntry(be, 0x0100, 32), shortEntry(be, 0x0101, 48), shortEntry(be, 0x0112, 4))...))), mirrorVertical},
		{"more entries declared than present", withSegments(grid, app1([]byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\xFF\xFF\x01\x12"))), upright},
		{"segment length past the end", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E'}, upright},
		{"EXIF after the image data is ignored", append(append([]byte{}, grid...), exifAPP1(be, 3)...), upright},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestOrientationAgreesWithGoexif checks the reader against goexif, an
// independent EXIF decoder, on files goexif handles safely.
func TestOrientationAgreesWithGoexif(t *testing.T) {
	files := map[string][]byte{"streetlight_gps.jpg": readTestdata(t, "streetlight_gps.jpg")}
	for o := uint16(1); o <= 8; o++ {
		files[fmt.Sprintf("grid, orientation %d", o)] = withSegments(gridJPEG(t), exifAPP1(binary.LittleEndian, o))
	}
	for name, data := range files {
		x, err := exif.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: goexif: %v", name, err)
		}
		tag, err := x.Get(exif.Orientation)
		if err != nil {
			t.Fatalf("%s: goexif: %v", name, err)
		}
		want, err := tag.Int(0)
		if err != nil {
			t.Fatalf("%s: goexif: %v", name, err)
		}
		if got := jpegOrientation(data); int(got) != want {
			t.Errorf("%s: orientation %d, goexif says %d", name, got, want)
		}
	}
}
