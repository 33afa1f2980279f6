// Package migrations holds trygg's schema as golang-migrate SQL files, embedded
// into the binary so `trygg migrate up` needs nothing beside it.
package migrations

import "embed"

// FS is the set of migration files.
//
//go:embed *.sql
var FS embed.FS
