# shellcheck shell=bash
# Shared by scripts/run and scripts/test (source it; do not execute it).
#
# It makes the two things trygg needs present: a Go toolchain and a PostgreSQL
# server with PostGIS available. It installs only what is missing, so a second run
# on a ready machine costs a few psql round trips and no apt-get at all.
#
# After ensure_postgis:
#   DATABASE_URL             the database `trygg` that scripts/run migrates and serves
#   TRYGG_TEST_DATABASE_URL  a role on the same server that may CREATE DATABASE; the Go
#                            tests create their own databases through it
# Both are left untouched when the caller has already set them.

# --- logging ---------------------------------------------------------------

# The step banners go to stderr so that stdout of a script stays usable (the demo
# token, for instance).
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
warn() { printf '\033[33mwarning: %s\033[0m\n' "$*" >&2; }
die() {
	printf '\033[31mFAILED: %s\033[0m\n' "$*" >&2
	exit 1
}

# No colour escapes when stderr is not a terminal (CI logs) or NO_COLOR is set.
if [[ ! -t 2 || -n "${NO_COLOR:-}" ]]; then
	say() { printf '==> %s\n' "$*" >&2; }
	warn() { printf 'warning: %s\n' "$*" >&2; }
	die() {
		printf 'FAILED: %s\n' "$*" >&2
		exit 1
	}
fi

# repo_root prints the repository root (the folder above scripts/).
repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }

# --- privileges --------------------------------------------------------------

# as_root runs a command as root: directly when we are root, through sudo when it
# exists, otherwise it explains what to do.
as_root() {
	if [[ $EUID -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root to run '$*' (not root and no sudo); run this script as root, or set DATABASE_URL to a PostGIS database you already have"
	fi
}

# as_postgres runs a command as the operating-system user postgres, which the
# Debian packages let in to the server through the unix socket (peer auth) however
# TCP logins are configured.
as_postgres() {
	if [[ $EUID -eq 0 ]]; then
		runuser -u postgres -- "$@"
	elif command -v sudo >/dev/null; then
		sudo -u postgres "$@"
	else
		die "need to run '$*' as the postgres user, but neither root nor sudo is available"
	fi
}

# --- packages ----------------------------------------------------------------

_trygg_apt_updated=""

# apt_install installs Debian packages, refreshing the package lists once per run
# and only when something is actually to be installed. It waits for a dpkg lock
# held by another apt rather than failing on it.
apt_install() {
	command -v apt-get >/dev/null ||
		die "need the packages '$*' but this machine has no apt-get; install them by hand (or set DATABASE_URL to a PostGIS database) and run again"
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q)
	if [[ -z $_trygg_apt_updated ]]; then
		say "Refreshing the apt package lists"
		local try
		for try in 1 2 3; do
			as_root "${apt[@]}" update && break
			[[ $try -eq 3 ]] && die "apt-get update failed three times (network, or another apt holding the lists lock?)"
			warn "apt-get update failed; retrying in 10 s"
			sleep 10
		done
		_trygg_apt_updated=1
	fi
	say "Installing $*"
	as_root "${apt[@]}" install -y --no-install-recommends "$@" ||
		die "apt-get install $* failed"
}

# --- Go ------------------------------------------------------------------------

# ensure_go checks that a Go at least as new as go.mod asks for is on PATH.
ensure_go() {
	if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
		export PATH="/usr/local/go/bin:$PATH" # the official tarball's place
	fi
	command -v go >/dev/null ||
		die "Go is not installed. Get Go $(go_wanted) or newer from https://go.dev/dl/ (unpack to /usr/local/go and add /usr/local/go/bin to PATH), then run this again."
	local have want
	have=$(go env GOVERSION) # e.g. go1.26.8
	have=${have#go}
	want=$(go_wanted)
	if ! version_at_least "$have" "$want"; then
		die "Go $have is too old; go.mod asks for $want. Get a newer Go from https://go.dev/dl/"
	fi
	note "go $have"
}

# go_wanted prints the version in go.mod's `go` line.
go_wanted() { awk '$1 == "go" { print $2; exit }' "$(repo_root)/go.mod"; }

# version_at_least A B is true when dotted version A >= B.
version_at_least() {
	[[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

# --- the hash secret -------------------------------------------------------------

# ensure_dev_hash_secret exports TRYGG_HASH_SECRET when the caller has not set
# it: a secret generated on the first run into bin/dev-hash-secret (mode 0600,
# ignored by git) and read from there on every later run. Without it the
# service draws a new secret at each start, and device hashes (one confirmation
# per device, Open311 retry detection) stop matching after every restart.
ensure_dev_hash_secret() {
	if [[ -n ${TRYGG_HASH_SECRET:-} ]]; then
		note "TRYGG_HASH_SECRET from the environment"
		return
	fi
	local dir file tmp
	dir="$(repo_root)/bin"
	file="$dir/dev-hash-secret"
	if [[ ! -e $file ]]; then
		mkdir -p "$dir" || die "cannot create $dir"
		tmp=$(umask 077 && mktemp "$dir/.dev-hash-secret.XXXXXX") || die "cannot create a file in $dir"
		# 32 random bytes as 64 hex digits.
		od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$tmp" || die "cannot write $tmp"
		# No clobbering: when two runs race, the first secret stays.
		mv -n "$tmp" "$file" 2>/dev/null || true
		rm -f "$tmp"
		note "generated a development hash secret in bin/dev-hash-secret"
	fi
	[[ -r $file ]] || die "cannot read $file"
	chmod 600 "$file" 2>/dev/null || true
	TRYGG_HASH_SECRET=$(<"$file")
	[[ ${#TRYGG_HASH_SECRET} -ge 16 ]] ||
		die "$file holds fewer than 16 characters; delete it and run again for a new one"
	export TRYGG_HASH_SECRET
	note "TRYGG_HASH_SECRET from bin/dev-hash-secret"
}

# --- PostgreSQL + PostGIS ------------------------------------------------------

# shellcheck source=scripts/lib-postgis.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-postgis.sh"
