#!/bin/sh
# Set up contact-auditor on a fresh machine: a Chromium for Playwright, then the package.
#
# Browser: Playwright's own Chromium is used when present; else a system Chromium. On
# Debian/Ubuntu as root it is installed with apt: `chromium-headless-shell` (the
# headless-only build, half the CPU of the full browser), else `chromium`; elsewhere
# `python3 -m playwright install chromium` fetches Playwright's build (needs internet).
# PostgreSQL (Debian's `postgresql`) is installed the same way, for the distributed tests.
set -eu
cd "$(dirname "$0")/.."

have_browser() {
  for b in chromium-headless-shell chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

# PostgreSQL: the server binaries for the distributed tests' throwaway clusters.
have_postgresql() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# apt (Debian/Ubuntu as root) for what is missing: the headless Chromium, PostgreSQL.
need_shell=""
command -v chromium-headless-shell >/dev/null 2>&1 || need_shell=1
need_pg=""
have_postgresql || need_pg=1
if { [ -n "$need_shell" ] || [ -n "$need_pg" ]; } && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing what is missing with apt-get" >&2
  apt-get update -qq
  if [ -n "$need_shell" ]; then
    # a distribution without the headless build gets the full browser
    apt_install chromium-headless-shell || have_browser || apt_install chromium
  fi
  [ -z "$need_pg" ] || apt_install postgresql
fi
if ! have_browser; then
  echo "setup: no system Chromium; installing Playwright's own" >&2
  python3 -m pip install -q playwright
  python3 -m playwright install chromium
fi
have_postgresql || echo "setup: no PostgreSQL server (install the postgresql package): the distributed tests will fail" >&2

echo "setup: installing contact-auditor and its test tools with pip" >&2
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
