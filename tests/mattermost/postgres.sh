# PostgreSQL from Debian, as a private cluster per test/demo instance (sourced by up.sh/down.sh).
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_ensure_installed() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ]; then
    log "installing PostgreSQL from Debian's packages"
    command -v apt-get >/dev/null || die "PostgreSQL server is missing and apt-get is not available"
    [ "$(id -u)" = 0 ] || die "PostgreSQL server is missing; install Debian's 'postgresql' package (needs root)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
}

# Runs a PostgreSQL tool as the cluster's owner: 'postgres' when we are root (it refuses root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT: initialises DIR once, starts the cluster on 127.0.0.1:PORT unless running.
pg_start() {
  local dir=$1 port=$2 bin; bin=$(pg_bin)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
  # The cluster's owner must be able to reach DIR: open the parents for traversal only.
  if [ "$(id -u)" = 0 ]; then local p=$dir; while p=$(dirname "$p"); [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; done; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then return 0; fi
  port_taken "$port" && die "port $port is already in use; choose another PostgreSQL port with PG_PORT=..."
  pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c full_page_writes=off" start >&2 \
    || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

pg_stop() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  pg_as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
}

pg_psql() {
  local dir=$1 port=$2; shift 2
  pg_as_owner "$(pg_bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

# A fresh role and database for this run.
pg_fresh_database() {
  local dir=$1 port=$2 db=$3
  pg_psql "$dir" "$port" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  pg_psql "$dir" "$port" -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='mmhc') THEN CREATE ROLE mmhc LOGIN PASSWORD 'mmhc'; END IF; END\$\$" >/dev/null
  pg_psql "$dir" "$port" -d postgres -c "CREATE DATABASE $db OWNER mmhc" >/dev/null
}
