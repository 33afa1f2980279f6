package photo

import (
	"image"

	"golang.org/x/image/draw"
)

// downscale shrinks img so that its longer side is at most maxEdge pixels,
// keeping the aspect ratio; maxEdge 0 leaves it as it is. Catmull-Rom rather
// than bilinear because phone photos shrink by factors of two or more, where
// bilinear sampling aliases fine patterns (fences, gravel, text on signs).
func downscale(img image.Image, maxEdge int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if maxEdge <= 0 || (w <= maxEdge && h <= maxEdge) {
		return img
	}
	dw, dh := fitWithin(w, h, maxEdge)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.CatmullRom.Scale(dst, dst.Rect, img, b, draw.Src, nil)
	return dst
}

// fitWithin returns the size of a w×h picture scaled so its longer side is
// maxEdge, rounded to whole pixels and never below one.
func fitWithin(w, h, maxEdge int) (int, int) {
	long := max(w, h)
	scaled := func(side int) int {
		return max(1, (side*maxEdge+long/2)/long)
	}
	return scaled(w), scaled(h)
}
