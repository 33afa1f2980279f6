package photo

import (
	"image"
	"image/draw"
)

// orientation is the value of the EXIF Orientation tag (0x0112): how the stored
// pixel rows and columns relate to the picture as the camera's user saw it.
// Names describe what must be done to the stored pixels to show them upright.
// Definitions: EXIF 2.32 (CIPA DC-008), section 4.6.4, tag "Orientation".
type orientation int

const (
	upright          orientation = 1 // row 0 is the top, column 0 the left side
	mirrorHorizontal orientation = 2 // row 0 top, column 0 right side
	rotate180        orientation = 3 // row 0 bottom, column 0 right side
	mirrorVertical   orientation = 4 // row 0 bottom, column 0 left side
	transpose        orientation = 5 // row 0 left side, column 0 top
	rotate90CW       orientation = 6 // row 0 right side, column 0 top
	transverse       orientation = 7 // row 0 right side, column 0 bottom
	rotate90CCW      orientation = 8 // row 0 left side, column 0 bottom
)

// swapsAxes reports whether the upright picture is the stored one on its side.
func (o orientation) swapsAxes() bool { return o >= transpose && o <= rotate90CCW }

// source returns the stored pixel that belongs at (x, y) of the upright picture,
// for a stored image w pixels wide and h high.
func (o orientation) source(x, y, w, h int) (int, int) {
	switch o {
	case mirrorHorizontal:
		return w - 1 - x, y
	case rotate180:
		return w - 1 - x, h - 1 - y
	case mirrorVertical:
		return x, h - 1 - y
	case transpose:
		return y, x
	case rotate90CW:
		return y, h - 1 - x
	case transverse:
		return w - 1 - y, h - 1 - x
	case rotate90CCW:
		return w - 1 - y, x
	}
	return x, y
}

// apply returns img turned upright. Unknown values are treated as upright: a
// wrong tag should cost a sideways picture, not a refused report.
func (o orientation) apply(img image.Image) image.Image {
	if o <= upright || o > rotate90CCW {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o.swapsAxes() {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < dw; x++ {
			sx, sy := o.source(x, y, w, h)
			si := sy*src.Stride + sx*4
			copy(row[x*4:x*4+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// toRGBA returns img as an *image.RGBA whose bounds start at (0, 0), so pixel
// offsets can be computed directly.
func toRGBA(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return rgba
}
