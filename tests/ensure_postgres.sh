#!/usr/bin/env bash
# Make sure a PostgreSQL server can be started by the tests: install Debian's package when missing.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; then
  exit 0
fi
echo "PostgreSQL server not found; installing Debian's postgresql package..."
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
else
  echo "ERROR: PostgreSQL is required for 'make test'. Install it: apt-get install postgresql" >&2
  exit 1
fi
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || {
  echo "ERROR: installing postgresql did not provide initdb" >&2; exit 1; }
