#!/usr/bin/env bash
# Scale-out test: a PostgreSQL primary with a streaming replica (pg_basebackup -R; the replica
# applies changes 2 s late on purpose), a Redis server, two gunicorn app processes on two
# ports and a task worker, all in a temporary folder on free ports; then the journey of
# tests/scaleout/journey.py hops between the two processes. Run from the repository root: tests/scaleout/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/lotse-scaleout-XXXXXX)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
primary_port=$(free_port); replica_port=$(free_port); redis_port=$(free_port)
app_a=$(free_port); app_b=$(free_port)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"

pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for node in replica primary; do
    [ -f "$work/$node/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/$node" -m immediate stop >/dev/null 2>&1 || true
  done
  if [ "$status" != 0 ]; then
    echo "== scale-out test failed; logs:"
    for log in "$work"/*.log; do echo "--- $log"; tail -n 40 "$log"; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL primary on $primary_port, replica on $replica_port"
as_postgres "$pg_bin/initdb" -D "$work/primary" -U lotse --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w \
  -o "-p $primary_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$primary_port" -U lotse lotse
as_postgres "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U lotse -D "$work/replica" -R -X stream --checkpoint=fast
as_postgres "$pg_bin/pg_ctl" -D "$work/replica" -l "$work/replica.log" -w \
  -o "-p $replica_port -k $work -c listen_addresses=127.0.0.1 -c hot_standby=on -c recovery_min_apply_delay=2s" start >/dev/null
in_recovery=$(as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$replica_port" -U lotse -d lotse -Atc "SELECT pg_is_in_recovery()")
[ "$in_recovery" = t ] || { echo "replica is not a standby"; exit 1; }

echo "== Redis on $redis_port"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)

export DATABASE_URL="postgresql://lotse@127.0.0.1:$primary_port/lotse"
export LOTSE_DATABASE_REPLICA_URL="postgresql://lotse@127.0.0.1:$replica_port/lotse"
export LOTSE_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export LOTSE_METRICS_TOKEN="scaleout-$RANDOM$RANDOM"
export LOTSE_DATA_DIR="$work/data"
export LOTSE_STATIC_MANIFEST=0 LOTSE_MFA_REQUIRED=0 LOTSE_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export LOTSE_REPLICA_PIN_SECONDS=15
unset LOTSE_TEST_DB_SUFFIX DJANGO_SETTINGS_MODULE

echo "== migrate and set up data on the primary ($((SECONDS - started)) s)"
"$BIN/lotse" migrate --noinput -v0
DJANGO_SETTINGS_MODULE=lotse.settings "$PY" -m tests.scaleout.setup_data &
setup=$!

echo "== app processes on $app_a and $app_b ($((SECONDS - started)) s)"
for port in "$app_a" "$app_b"; do
  LOTSE_BASE_URL="http://127.0.0.1:$port" "$BIN/gunicorn" lotse.wsgi:application \
    --bind "127.0.0.1:$port" --workers 1 --threads 4 --timeout 60 \
    >"$work/app-$port.log" 2>&1 &
  pids+=($!)
done
# The task worker (publishing the report) beside them, on the primary like every task.
"$BIN/lotse" worker --interval 0.5 --no-startup-delay >"$work/worker.log" 2>&1 &
pids+=($!)
healthy() { "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "http://127.0.0.1:$1/health" 2>/dev/null; }
for port in "$app_a" "$app_b"; do
  for _ in $(seq 1 120); do healthy "$port" && break; sleep 0.5; done
  healthy "$port" || { echo "app on $port did not start"; exit 1; }
done
wait "$setup"
# The replica must have the migrated schema and the data before the journey starts.
for _ in $(seq 1 60); do
  found=$(as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$replica_port" -U lotse -d lotse -Atc \
    "SELECT count(*) FROM accounts_user" 2>/dev/null || echo 0)
  [ "$found" -ge 1 ] && break
  sleep 0.5
done

echo "== journey ($((SECONDS - started)) s)"
"$PY" -m tests.scaleout.journey "http://127.0.0.1:$app_a" "http://127.0.0.1:$app_b"
echo "== scale-out test passed in $((SECONDS - started)) s"
