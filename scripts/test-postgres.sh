# Sourced by test.sh and scripts/test-on-date.sh: starts a throwaway PostgreSQL 15 on 127.0.0.1:5544 (or
# ADINTEL_TEST_PG_PORT, for a second run beside one already using it), stopped and deleted when the calling script
# exits, and exports ADINTEL_TEST_POSTGRES for the test suites.
pg_port=${ADINTEL_TEST_PG_PORT:-5544}
pgdata=$(mktemp -d /tmp/adintel-pg.XXXXXX)
chown postgres:postgres "$pgdata"
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $pgdata -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $pgdata -o '-p $pg_port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500' -l $pgdata/server.log -w start" >/dev/null
stop_pg() { su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $pgdata -m fast stop" >/dev/null 2>&1 || true; rm -rf "$pgdata"; }
trap stop_pg EXIT
export ADINTEL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
