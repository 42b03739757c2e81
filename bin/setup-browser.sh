#!/usr/bin/env bash
# The browser for the report's browser test (test/report/browser.test.ts): Debian's `chromium` package.
# Idempotent: does nothing when a browser is already there. Installs with apt-get only when it can (Debian or Ubuntu,
# running as root); otherwise it says what to do and exits 0, and the browser test is skipped with the same advice.
# Run it as `npm run setup:browser`.
set -u

say() { printf 'setup:browser: %s\n' "$*"; }
warn() { printf 'setup:browser: warning: %s\n' "$*" >&2; }

# The same places test/report/chromium.ts looks, in the same order.
find_browser() {
  if [ -n "${PTELAB_CHROMIUM:-}" ]; then
    [ -x "$PTELAB_CHROMIUM" ] && { printf '%s\n' "$PTELAB_CHROMIUM"; return 0; }
    return 1
  fi
  local c
  for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$c" ] && { printf '%s\n' "$c"; return 0; }
  done
  return 1
}

version_of() { "$1" --version 2>/dev/null | head -n 1; }

if found=$(find_browser); then
  say "already installed: $found ($(version_of "$found"))"
  exit 0
fi
if [ -n "${PTELAB_CHROMIUM:-}" ]; then
  warn "PTELAB_CHROMIUM=$PTELAB_CHROMIUM is not an executable file; fix it, or unset it to use Debian's chromium"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  warn "cannot install Chromium: no apt-get on this machine; install Chrome or Chromium yourself and set PTELAB_CHROMIUM to its binary"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  warn "cannot install Chromium: not root; run: sudo apt-get update && sudo apt-get install -y chromium"
  exit 0
fi

say "installing Debian's chromium package: apt-get update && apt-get install -y chromium"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q; then
  warn "apt-get update failed; the browser test will be skipped"
  exit 0
fi
if ! apt-get install -y -q chromium; then
  warn "apt-get install chromium failed; the browser test will be skipped"
  exit 0
fi
if found=$(find_browser); then
  say "installed: $found ($(version_of "$found"))"
else
  warn "apt-get installed chromium but no browser binary is where the test looks (/usr/bin/chromium)"
fi
exit 0
