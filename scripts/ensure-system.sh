#!/usr/bin/env bash
# The Debian packages the tests and the demo need: a PostgreSQL server (initdb, postgres, pg_dump,
# pg_restore), the age and zstd CLIs (backups must decrypt and decompress by hand), openssl
# (test certificates) and prometheus (canary-shift's Prometheus source is tested against a real
# server scraping test apps; the tests start their own on a free port, not the packaged service).
# Installs what is missing when it can (root with apt-get); otherwise says what to install.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v age >/dev/null 2>&1 || missing+=(age)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing: ${missing[*]}. Install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
