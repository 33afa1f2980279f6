package photo

import "encoding/binary"

// maxScans is the most scans a JPEG may have. A progressive JPEG refines the
// picture in scans, and the decoder visits every block of the image in each
// one, so a few bytes per scan can cost seconds of CPU per megapixel: 10 000
// scans of 12 bytes each (120 KB) took 2.6 s to decode for one megapixel here.
// Encoders write one scan (baseline) or about 10 (libjpeg's default
// progression); 100 leaves ample room.
const maxScans = 100

// jpegScans counts the start-of-scan (SOS) markers of a JPEG, walking its marker
// segments and skipping the entropy-coded data between them, so bytes FF DA
// inside another segment (an ICC profile, a thumbnail) are not counted.
func jpegScans(data []byte) int {
	scans := 0
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF { // entropy-coded data
			i++
			continue
		}
		switch m := data[i+1]; {
		case m == 0xFF: // fill byte
			i++
		case m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7): // stuffed zero, TEM, restart: no length
			i += 2
		case m == 0xD9: // end of image
			return scans
		default:
			if m == 0xDA {
				scans++
			}
			if i+4 > len(data) {
				return scans
			}
			// Skips the segment; after an SOS header the loop then steps
			// through the scan's entropy-coded data byte by byte.
			i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
		}
	}
	return scans
}
