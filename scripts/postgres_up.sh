#!/usr/bin/env bash
# Starts the local PostgreSQL cluster and makes the role and database the store tests use:
# postgresql+psycopg://lm:lm@127.0.0.1:5432/labormatch (exported as LABORMATCH_TEST_PG_URL by tests/conftest.py).
set -eu
ver=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main status >/dev/null
for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 0.5; done
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='lm'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE lm LOGIN PASSWORD 'lm' SUPERUSER\""
su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='labormatch'\"" | grep -q 1 \
  || su postgres -c "createdb -O lm labormatch"
echo "postgres: up"
