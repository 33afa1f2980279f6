// Package openapi embeds trygg's OpenAPI 3 contract, served at /openapi.yaml and
// used to validate every request.
package openapi

import _ "embed"

// Spec is openapi.yaml.
//
//go:embed openapi.yaml
var Spec []byte
