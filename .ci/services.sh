#!/usr/bin/env bash
# Makes sure the services the tests need answer on 127.0.0.1: PostgreSQL on 5432 (with a `test`
# database and a `root` superuser, trusted from the loopback: a test machine, never a server) and
# Redis on 6379; and that the nginx executable is installed (chat-cluster-tests start an nginx of
# their own on a free port: no nginx service is started here). Idempotent: starts only what is not running, installs from Debian's packages only
# what is missing, creates only what does not exist. Run by .ci/run; run it by hand as root too.
set -euo pipefail

log() { echo "services: $*"; }

apt_updated=""
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq "$@" >/dev/null
}

# wait_until SECONDS WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local tries=$((seconds * 5))
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "services: $what did not answer within ${seconds}s" >&2
  return 1
}

# psql as the postgres user over the local socket (peer or trust: always allowed on Debian).
as_postgres() {
  su postgres -s /bin/sh -c "psql -X -q -v ON_ERROR_STOP=1 -At $*"
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    log "installing postgresql"
    apt_install postgresql
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  wait_until 60 "PostgreSQL" pg_isready -q -h 127.0.0.1 -p 5432

  if [ "$(as_postgres "-c \"SELECT 1 FROM pg_roles WHERE rolname = 'root'\"")" != "1" ]; then
    log "creating the PostgreSQL role root"
    as_postgres "-c 'CREATE ROLE root SUPERUSER LOGIN'"
  fi
  if [ "$(as_postgres "-c \"SELECT 1 FROM pg_database WHERE datname = 'test'\"")" != "1" ]; then
    log "creating the PostgreSQL database test"
    as_postgres "-c 'CREATE DATABASE test OWNER root'"
  fi
  # Debian's default asks TCP clients for a password; the tests connect as root without one.
  if ! psql -X -q -At -h 127.0.0.1 -U root -d test -w -c 'SELECT 1' >/dev/null 2>&1; then
    local hba
    hba=$(as_postgres "-c 'SHOW hba_file'")
    log "trusting loopback connections in $hba"
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_postgres "-c 'SELECT pg_reload_conf()'" >/dev/null
    wait_until 10 "PostgreSQL as root" psql -X -q -At -h 127.0.0.1 -U root -d test -w -c 'SELECT 1'
  fi
  log "PostgreSQL $version answers on 127.0.0.1:5432"
}

ensure_redis() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    log "installing redis-server"
    apt_install redis-server
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
  fi
  wait_until 30 "Redis" sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
  log "Redis answers on 127.0.0.1:6379"
}

ensure_nginx() {
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    log "installing nginx (the tests start their own; the service is not started)"
    # Debian starts the service on install where it can; the tests need the executable only
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      policy=1
    fi
    local rc=0
    apt_install nginx || rc=$?
    if [ -n "$policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
    [ "$rc" -eq 0 ] || return "$rc"
  fi
  log "nginx $( (nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1) | sed 's/.*nginx\///') is installed"
}

ensure_postgres
ensure_redis
ensure_nginx
