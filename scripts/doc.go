// Package scripts has no Go code of its own: the folder holds trygg's shell
// scripts, and the package's tests run the shell library that scripts/run and
// scripts/test source (lib.sh), with bash, on a copy of it.
package scripts
