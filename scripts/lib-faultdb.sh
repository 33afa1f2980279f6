# shellcheck shell=bash
# A private, throwaway PostgreSQL cluster for the fault and load scripts, so they
# can kill and restart "the database" without touching the shared server on 5432
# that other tests use. Source after lib.sh; call fault_pg_init once, then
# fault_pg_start / fault_pg_crash / fault_pg_freeze / fault_pg_thaw. Everything
# lives in one temp directory that fault_pg_cleanup (run it from an EXIT trap)
# removes.

fault_pg_bin=${FAULT_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
fault_pg_port=${FAULT_PG_PORT:-55432}
fault_pg_dir=""
fault_pg_url=""

fault_pg_init() {
	[[ -x $fault_pg_bin/initdb ]] || die "no initdb under /usr/lib/postgresql/*/bin (set FAULT_PG_BIN)"
	fault_pg_dir=$(mktemp -d /tmp/trygg-faultpg.XXXXXX)
	chmod 755 "$fault_pg_dir"
	if [[ $EUID -eq 0 ]]; then chown postgres "$fault_pg_dir"; fi
	as_pg "$fault_pg_bin/initdb" -D "$fault_pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null ||
		die "initdb of the private cluster failed"
	fault_pg_url="postgres://postgres@127.0.0.1:$fault_pg_port/trygg?sslmode=disable"
	fault_pg_start
	psql -qAt -h 127.0.0.1 -p "$fault_pg_port" -U postgres -d postgres -c 'create database trygg' >/dev/null ||
		die "could not create database trygg in the private cluster"
}

# as_pg runs a command as the cluster's owner (postgres when we are root).
as_pg() {
	if [[ $EUID -eq 0 ]]; then as_postgres "$@"; else "$@"; fi
}

fault_pg_start() {
	as_pg "$fault_pg_bin/pg_ctl" -D "$fault_pg_dir/data" -l "$fault_pg_dir/server.log" -w -t 60 \
		-o "-p $fault_pg_port -k $fault_pg_dir -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null ||
		die "the private cluster did not start (see $fault_pg_dir/server.log)"
}

# fault_pg_crash stops the cluster the hard way (immediate: no checkpoint, crash
# recovery on the next start), as a killed or power-cut server would.
fault_pg_crash() {
	as_pg "$fault_pg_bin/pg_ctl" -D "$fault_pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# fault_pg_freeze stops every process of the cluster with SIGSTOP: the server
# still accepts TCP connections (the kernel queues them) but never answers, as a
# hung or partitioned database does. fault_pg_thaw lets them run again.
fault_pg_pids() {
	local pm
	pm=$(head -1 "$fault_pg_dir/data/postmaster.pid" 2>/dev/null) || return 0
	echo "$pm"
	pgrep -P "$pm" || true
}
fault_pg_freeze() {
	local pids
	pids=$(fault_pg_pids)
	[[ -n $pids ]] || die "no running private cluster to freeze"
	# shellcheck disable=SC2086
	as_pg kill -STOP $pids
}
fault_pg_thaw() {
	local pids
	pids=$(fault_pg_pids)
	# shellcheck disable=SC2086
	[[ -z $pids ]] || as_pg kill -CONT $pids
}

fault_pg_cleanup() {
	[[ -n $fault_pg_dir && -d $fault_pg_dir ]] || return 0
	fault_pg_thaw 2>/dev/null || true
	as_pg "$fault_pg_bin/pg_ctl" -D "$fault_pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$fault_pg_dir"
}

# trygg_start starts bin/trygg serve on 127.0.0.1:$1 against the private cluster
# (extra environment from the caller's exports) and waits for /healthz; it sets
# trygg_pid.
trygg_pid=""
trygg_start() {
	local port=$1
	DATABASE_URL=$fault_pg_url TRYGG_ADDR=127.0.0.1:$port TRYGG_LOG_LEVEL=${TRYGG_LOG_LEVEL:-warn} \
		bin/trygg serve 2>>"$fault_pg_dir/trygg.log" &
	trygg_pid=$!
	for _ in $(seq 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
		sleep 0.1
	done
	die "trygg serve did not come up on :$port (see $fault_pg_dir/trygg.log)"
}

trygg_kill9() {
	[[ -n $trygg_pid ]] || return 0
	kill -9 "$trygg_pid" 2>/dev/null || true
	wait "$trygg_pid" 2>/dev/null || true
	trygg_pid=""
}
