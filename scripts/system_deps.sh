#!/usr/bin/env bash
# Installs the Debian packages the full test suite uses (Chromium for browser tests, LibreOffice for
# workbook recalculation, PostgreSQL for the shared-store tests) and starts PostgreSQL on localhost.
# Without root or apt-get it only reports what is missing: the tests that need it skip with a reason.
set -u
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "system-deps: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || echo "system-deps: install failed; the tests that need ${need[*]} will skip"
  else
    echo "system-deps: missing ${need[*]} (not root or no apt-get); the tests that need them will skip"
  fi
fi
if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ]; then
  bash "$(dirname "$0")/postgres_up.sh" || echo "system-deps: PostgreSQL did not start; its tests will skip"
fi
exit 0
