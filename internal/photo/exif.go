package photo

import (
	"bytes"
	"encoding/binary"
)

// exifHeader starts the APP1 segment that carries EXIF in a JPEG.
var exifHeader = []byte("Exif\x00\x00")

// TIFF facts used below (TIFF 6.0 section 2; EXIF 2.32 section 4.6.4).
const (
	orientationTag = 0x0112
	typeShort      = 3
	typeLong       = 4
	ifdEntrySize   = 12
)

// jpegOrientation returns the EXIF Orientation of a JPEG, or upright when the
// file has none or it cannot be read.
//
// The tag is read here rather than with goexif, on purpose: goexif decodes every
// tag of every directory and trusts their counts, so a few hundred hostile bytes
// make it loop forever (two IFDs linking to each other) or allocate tens of
// gigabytes (a count of 2^31 whose byte length overflows to 2). Orientation is
// one entry of IFD0; finding it is a walk bounded by the segment's length.
func jpegOrientation(data []byte) orientation {
	return tiffOrientation(exifSegment(data))
}

// exifSegment walks the JPEG's marker segments up to the image data and returns
// the TIFF structure inside the first EXIF APP1 segment, or nil. Walking the
// segments (rather than scanning for the bytes FF E1) finds EXIF even behind an
// XMP APP1 and never mistakes other bytes for a marker.
func exifSegment(data []byte) []byte {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image: no metadata follows
			return nil
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // markers without a length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		payload := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(payload, exifHeader) {
			return payload[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// tiffOrientation finds the Orientation entry in IFD0 of a TIFF structure. The
// value must be a single SHORT as the standard says (a single LONG is accepted
// too) and lie in 1–8; anything else counts as upright.
func tiffOrientation(tiff []byte) orientation {
	if len(tiff) < 8 {
		return upright
	}
	var order binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return upright
	}
	ifd0 := int64(order.Uint32(tiff[4:]))
	if ifd0+2 > int64(len(tiff)) {
		return upright
	}
	entries := int64(order.Uint16(tiff[ifd0:]))
	for i := range entries {
		e := ifd0 + 2 + i*ifdEntrySize
		if e+ifdEntrySize > int64(len(tiff)) {
			break
		}
		if order.Uint16(tiff[e:]) != orientationTag {
			continue
		}
		var v uint32
		switch typ, count := order.Uint16(tiff[e+2:]), order.Uint32(tiff[e+4:]); {
		case typ == typeShort && count == 1:
			v = uint32(order.Uint16(tiff[e+8:]))
		case typ == typeLong && count == 1:
			v = order.Uint32(tiff[e+8:])
		}
		if v < uint32(upright) || v > uint32(rotate90CCW) {
			return upright
		}
		return orientation(v)
	}
	return upright
}
