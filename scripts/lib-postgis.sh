# shellcheck shell=bash
# ensure_postgis: sourced by scripts/lib.sh, which provides say/note/warn/die,
# as_root, as_postgres and apt_install.
#
# Three machines are covered, tried in this order:
#  1. DATABASE_URL is set: it is used as it is, only checked.
#  2. A server on 127.0.0.1:5432 lets postgres in without a password (trust), as on
#     the project's CI machine: used as postgres; PostGIS is installed if missing.
#  3. Otherwise a local Debian cluster is used, installed and started first if need
#     be. Its TCP login needs a password (Debian's default pg_hba.conf), so a
#     superuser role `trygg` with password $TRYGG_DEV_DB_PASSWORD (default trygg)
#     is made (or, if it exists, given that password) through the unix socket as
#     the postgres user. Superuser, because CREATE EXTENSION postgis needs it.
#     Debian clusters listen on localhost only, so this suits a development
#     machine; it is not meant for a shared server.

TRYGG_DEV_DB_PASSWORD=${TRYGG_DEV_DB_PASSWORD:-trygg}
[[ $TRYGG_DEV_DB_PASSWORD =~ ^[A-Za-z0-9._~-]+$ ]] ||
	die "TRYGG_DEV_DB_PASSWORD may only hold A-Z a-z 0-9 . _ ~ - (it goes into a URL unescaped)"

# pg_query URL SQL prints the rows of SQL run at URL; psql's error goes to stderr.
# -w: never wait for a password prompt, a script has no one to answer it.
pg_query() {
	PGCONNECT_TIMEOUT=5 psql -w -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# pg_answers URL is true when a login at URL works.
pg_answers() { pg_query "$1" 'select 1' >/dev/null 2>&1; }

# redact_url hides the password in a URL before it is printed.
redact_url() { sed -E 's#(://[^:/@]*):[^@]*@#\1:xxxxx@#' <<<"$1"; }

ensure_postgis() {
	if ! command -v psql >/dev/null; then
		apt_install postgresql-client
	fi
	if [[ -n ${DATABASE_URL:-} ]]; then
		_postgis_given_url
		return
	fi
	local base # postgres://user[:password]@host:port, no database
	if pg_answers "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"; then
		base="postgres://postgres@127.0.0.1:5432"
		note "PostgreSQL answers on 127.0.0.1:5432 (password-less login as postgres)"
	else
		_postgis_local_cluster # sets _trygg_pg_base
		base=$_trygg_pg_base
	fi
	_postgis_make_available "$base/postgres?sslmode=disable"
	if [[ $(pg_query "$base/postgres?sslmode=disable" "select count(*) from pg_database where datname = 'trygg'") != 1 ]]; then
		say "Creating database trygg"
		pg_query "$base/postgres?sslmode=disable" 'create database trygg' >/dev/null ||
			die "could not create database trygg at $(redact_url "$base")"
	fi
	export DATABASE_URL="$base/trygg?sslmode=disable"
	export TRYGG_TEST_DATABASE_URL=${TRYGG_TEST_DATABASE_URL:-"$base/postgres?sslmode=disable"}
	note "DATABASE_URL=$(redact_url "$DATABASE_URL")"
	note "TRYGG_TEST_DATABASE_URL=$(redact_url "$TRYGG_TEST_DATABASE_URL")"
}

# _postgis_given_url checks the user's DATABASE_URL and, when the user did not name
# one, offers the same role to the tests if it may create databases.
_postgis_given_url() {
	local shown err available installed may_create
	shown=$(redact_url "$DATABASE_URL")
	say "Using DATABASE_URL=$shown"
	err=$(pg_query "$DATABASE_URL" 'select 1' 2>&1 >/dev/null) ||
		die "DATABASE_URL=$shown does not answer: $err"
	available=$(pg_query "$DATABASE_URL" "select count(*) from pg_available_extensions where name = 'postgis'")
	installed=$(pg_query "$DATABASE_URL" "select count(*) from pg_extension where extname = 'postgis'")
	[[ $available == 1 ]] ||
		die "PostGIS is not available on the server of DATABASE_URL=$shown; install it there (Debian: postgresql-<major>-postgis-3; Docker: the postgis/postgis image)"
	may_create=$(pg_query "$DATABASE_URL" "select rolsuper or rolcreatedb from pg_roles where rolname = current_user")
	if [[ $installed != 1 && $(pg_query "$DATABASE_URL" "select rolsuper from pg_roles where rolname = current_user") != t ]]; then
		warn "PostGIS is available but not installed in that database, and the role is not a superuser: 'trygg migrate up' will fail at CREATE EXTENSION postgis unless a superuser runs it once there"
	fi
	if [[ -z ${TRYGG_TEST_DATABASE_URL:-} ]]; then
		if [[ $may_create == t ]]; then
			export TRYGG_TEST_DATABASE_URL=$DATABASE_URL
			note "TRYGG_TEST_DATABASE_URL=$shown (the role may create databases)"
		else
			warn "the DATABASE_URL role may not create databases, so TRYGG_TEST_DATABASE_URL stays unset; set it to a role that may, for the tests"
		fi
	fi
}

# _postgis_make_available installs the PostGIS package matching the server's major
# version when the server (which must run on this machine) lacks it.
_postgis_make_available() {
	local admin=$1 num major
	[[ $(pg_query "$admin" "select count(*) from pg_available_extensions where name = 'postgis'") == 1 ]] && return
	num=$(pg_query "$admin" 'show server_version_num') || die "cannot ask the server its version"
	major=$((num / 10000))
	[[ -d /usr/lib/postgresql/$major ]] ||
		die "PostGIS is missing on the PostgreSQL $major server at $(redact_url "$admin"), and that server does not run from this machine's packages, so it cannot be added from here; install PostGIS on it or set DATABASE_URL"
	apt_install "postgresql-$major-postgis-3"
	[[ $(pg_query "$admin" "select count(*) from pg_available_extensions where name = 'postgis'") == 1 ]] ||
		die "installed postgresql-$major-postgis-3 but the server still does not offer the postgis extension"
}

# _postgis_local_cluster finds (installing and starting if needed) a Debian cluster
# and a password login to it; sets _trygg_pg_base.
_postgis_local_cluster() {
	if ! command -v pg_lsclusters >/dev/null || [[ -z $(pg_lsclusters -h 2>/dev/null) ]]; then
		# Someone else's server (a container, say) must not be shadowed by ours.
		if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
			die "a PostgreSQL on 127.0.0.1:5432 refuses a password-less login as postgres and is not a cluster of this machine's packages; set DATABASE_URL to a database there (and TRYGG_TEST_DATABASE_URL to a role that may CREATE DATABASE)"
		fi
		say "No PostgreSQL cluster on this machine: installing PostgreSQL"
		apt_install postgresql
		if [[ -z $(pg_lsclusters -h 2>/dev/null) ]]; then
			local newest
			newest=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
			say "Creating PostgreSQL $newest cluster main"
			as_root pg_createcluster "$newest" main || die "pg_createcluster $newest main failed"
		fi
	fi
	# The cluster on the standard port if there is one, else the first listed.
	local line ver name port status
	line=$(pg_lsclusters -h | awk '$3 == 5432 { print; exit }')
	[[ -n $line ]] || line=$(pg_lsclusters -h | head -n1)
	read -r ver name port status _ <<<"$line"
	if [[ $status != online* ]]; then
		say "Starting PostgreSQL cluster $ver/$name on port $port"
		# No systemd in containers: start the cluster directly.
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start ||
			die "could not start cluster $ver/$name; see /var/log/postgresql/postgresql-$ver-$name.log"
	fi
	local waited=0
	until pg_isready -q -h /var/run/postgresql -p "$port"; do
		((waited++ < 30)) || die "cluster $ver/$name did not accept connections within 30 s"
		sleep 1
	done
	# A cluster that was merely down may well trust local TCP logins, as on CI.
	_trygg_pg_base="postgres://postgres@127.0.0.1:$port"
	pg_answers "$_trygg_pg_base/postgres?sslmode=disable" && {
		note "PostgreSQL $ver/$name answers on 127.0.0.1:$port (password-less login as postgres)"
		return
	}
	_trygg_pg_base="postgres://trygg:${TRYGG_DEV_DB_PASSWORD}@127.0.0.1:$port"
	pg_answers "$_trygg_pg_base/postgres?sslmode=disable" && {
		note "PostgreSQL $ver/$name answers on 127.0.0.1:$port as role trygg"
		return
	}
	say "Giving role trygg a password login to cluster $ver/$name (local development superuser)"
	# \gexec runs the generated statement; %L quotes the password safely. From /,
	# since the postgres user may not be allowed into the current folder.
	if ! (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -v pw="$TRYGG_DEV_DB_PASSWORD" >/dev/null <<-'SQL'
		SELECT format(CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'trygg')
		                   THEN 'ALTER ROLE trygg LOGIN SUPERUSER PASSWORD %L'
		                   ELSE 'CREATE ROLE trygg LOGIN SUPERUSER PASSWORD %L' END, :'pw') \gexec
	SQL
	); then
		die "could not create role trygg in cluster $ver/$name"
	fi
	pg_answers "$_trygg_pg_base/postgres?sslmode=disable" ||
		die "role trygg still cannot log in on 127.0.0.1:$port; check listen_addresses and /etc/postgresql/$ver/$name/pg_hba.conf (a 'host all all 127.0.0.1/32 scram-sha-256' line is needed)"
}
