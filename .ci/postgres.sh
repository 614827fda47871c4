#!/usr/bin/env bash
# Installs (when missing) and starts a local PostgreSQL server for the portal's store tests, then prints
# the URL the tests read from MOTCUA_TEST_POSTGRES_URL. Needs root (apt, the postgres system account);
# prints nothing and exits 0 otherwise, and the PostgreSQL tests skip with their reason.
set -euo pipefail
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL: không chạy với quyền root trên Debian; bỏ qua" >&2
  exit 0
fi
if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "ok installed"; then
  echo "Cài PostgreSQL…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -q "^${version}/main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 50); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 0.2
done
# A throwaway role and database for tests only; the password never leaves this machine.
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua_test') THEN
    CREATE ROLE motcua_test LOGIN PASSWORD 'motcua_test' CREATEDB;
  END IF;
END \$\$;
SQL
if ! su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'motcua_test'\"" | grep -q 1; then
  su postgres -c "createdb -p $port -O motcua_test motcua_test" >&2
fi
echo "postgresql://motcua_test:motcua_test@127.0.0.1:${port}/motcua_test"
