#!/usr/bin/env bash
# Makes sure headless Chromium is there for the browser tests.
# As root (CI, a fresh school server) Debian's `chromium` package is installed;
# elsewhere we only explain how to enable the browser tests (they are skipped).
set -u
for c in "${MAKKER_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "makker: installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
    || { echo "makker: could not install chromium"; exit 1; }
  exit 0
fi
echo "makker: Chromium not found, so the browser tests will be skipped."
echo "        To run them: sudo apt-get install chromium  (or set MAKKER_CHROMIUM=/path/to/chromium)"
exit 0
