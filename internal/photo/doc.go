// Package photo makes a resident's uploaded photo safe to store and show.
//
// A photo from a phone carries more than the picture: EXIF GPS coordinates (often
// the reporter's home), the device make and model, the time it was taken. The
// place of a report is given separately and may be coarsened for the public, so
// none of that may survive. Process therefore never stores the upload itself: it
// checks size and type from the bytes, refuses images whose dimensions would make
// decoding a memory bomb, decodes, turns the picture upright according to the
// EXIF Orientation tag (so that dropping EXIF does not leave it sideways),
// downscales it, and encodes fresh JPEG or PNG bytes that hold pixels only.
//
// The package does no I/O beyond reading the given io.Reader; storing the result
// and mapping the errors to HTTP status codes is the caller's work.
package photo
