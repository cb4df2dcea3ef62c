#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing: a PostgreSQL server (the
# tests start a throwaway cluster), Chromium's headless shell (driven by Playwright; browsers
# cannot be downloaded here), a Redis server (the tests start one for the shared log-in
# throttle), Pango with the DejaVu fonts (WeasyPrint makes the municipality report's PDF with
# them), and Node.js (its test runner runs the desk script's unit tests, tests/js/).
# Prints what it does; fails clearly when it cannot install.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null \
  || missing+=(postgresql)
[ -x /usr/lib/chromium/chromium-headless-shell ] || missing+=(chromium-headless-shell)
command -v redis-server >/dev/null || missing+=(redis-server)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)  # installs the tests' OpenID Connect provider
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages for the tests: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "ERROR: 'make test' needs these Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
