#!/usr/bin/env bash
# Makes sure headless Chromium (and pdftotext, which reads the downloaded PDFs)
# is there for the browser tests.
# As root (CI, a fresh school server) Debian's `chromium` and `poppler-utils` packages are installed;
# elsewhere we only explain how to enable the browser tests (they are skipped).
set -u
have_chromium=""
for c in "${MAKKER_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then have_chromium=1; fi
done
if [ -n "$have_chromium" ] && command -v pdftotext >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "makker: installing Debian's chromium and poppler-utils for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null \
    || { echo "makker: could not install chromium and poppler-utils"; exit 1; }
  exit 0
fi
if [ -z "$have_chromium" ]; then
  echo "makker: Chromium not found, so the browser tests will be skipped."
  echo "        To run them: sudo apt-get install chromium  (or set MAKKER_CHROMIUM=/path/to/chromium)"
else
  echo "makker: pdftotext not found, so the browser tests that read a downloaded PDF will be skipped."
  echo "        To run them: sudo apt-get install poppler-utils"
fi
exit 0
