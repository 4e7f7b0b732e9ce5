#!/bin/sh
# Set up contact-auditor on a fresh machine: a Chromium for Playwright, then the package.
#
# Browser: Playwright's own Chromium is used when present; else a system Chromium. On
# Debian/Ubuntu as root it is installed with apt (the package `chromium`); elsewhere
# `python3 -m playwright install chromium` fetches Playwright's build (needs internet).
set -eu
cd "$(dirname "$0")/.."

have_browser() {
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

if ! have_browser; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Chromium with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: no system Chromium; installing Playwright's own" >&2
    python3 -m pip install -q playwright
    python3 -m playwright install chromium
  fi
fi

echo "setup: installing contact-auditor and its test tools with pip" >&2
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
