#!/usr/bin/env bash
# Starts (idempotently) the servers DocExtract needs on this machine: PostgreSQL 15 and RabbitMQ 3.10 from
# Debian's packages, and makes the `docextract` role. Tests, the demo and CI all go through here.
# Usage: scripts/services.sh [start|status|stop]
set -euo pipefail

DB_USER=${DOCEXTRACT_DB_USER:-docextract}
DB_PASSWORD=${DOCEXTRACT_DB_PASSWORD:-docextract}
DB_NAME=${DOCEXTRACT_DB_NAME:-docextract}

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "services: $what did not become ready within ${seconds}s" >&2; return 1
}

start() {
  if ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
    service postgresql start >/dev/null
  fi
  wait_for PostgreSQL 60 pg_isready -q -h 127.0.0.1
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'\"" | grep -q 1 ||
    as_postgres "psql -qc \"CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'\""
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$DB_NAME'\"" | grep -q 1 ||
    as_postgres "createdb -O $DB_USER $DB_NAME"
  echo "services: PostgreSQL ready on 127.0.0.1:5432 (role $DB_USER, database $DB_NAME)"

  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    service rabbitmq-server start >/dev/null
  fi
  wait_for RabbitMQ 90 rabbitmqctl -q await_startup
  echo "services: RabbitMQ ready on 127.0.0.1:5672"
}

case "${1:-start}" in
  start) start ;;
  status) pg_isready -h 127.0.0.1; rabbitmqctl -q status | head -3 ;;
  stop) service rabbitmq-server stop || true; service postgresql stop || true ;;
  *) echo "usage: $0 [start|status|stop]" >&2; exit 2 ;;
esac
