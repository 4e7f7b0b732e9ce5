#!/bin/sh
# Set up contact-auditor on a fresh machine: a Chromium for Playwright, then the package.
#
# Browser: Playwright's own Chromium is used when present; else a system Chromium. On
# Debian/Ubuntu as root it is installed with apt (the package `chromium`); elsewhere
# `python3 -m playwright install chromium` fetches Playwright's build (needs internet).
# PostgreSQL (Debian's `postgresql`) is installed the same way, for the distributed tests.
set -eu
cd "$(dirname "$0")/.."

have_browser() {
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

# PostgreSQL: the server binaries for the distributed tests' throwaway clusters.
have_postgresql() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

# One apt step (Debian/Ubuntu as root) for what is missing: Chromium, PostgreSQL.
apt_packages=""
have_browser || apt_packages="chromium"
have_postgresql || apt_packages="$apt_packages postgresql"
if [ -n "$apt_packages" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing$(printf ' %s' $apt_packages) with apt-get" >&2
  apt-get update -qq
  # shellcheck disable=SC2086  # a list of package names
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_packages >/dev/null
fi
if ! have_browser; then
  echo "setup: no system Chromium; installing Playwright's own" >&2
  python3 -m pip install -q playwright
  python3 -m playwright install chromium
fi
have_postgresql || echo "setup: no PostgreSQL server (install the postgresql package): the distributed tests will fail" >&2

echo "setup: installing contact-auditor and its test tools with pip" >&2
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
