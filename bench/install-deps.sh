#!/usr/bin/env bash
# Runs before `npm run bench`: installs from Debian the baseline web server (nginx), the load
# generator (wrk) and the browser Lighthouse drives (chromium) when they are missing. Both run on loopback only, under the bench's control.
set -euo pipefail

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "prebench: installing ${missing[*]} with apt-get" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
# The Debian package enables and starts a system nginx on port 80; the bench never uses it, so
# it is left as the system has it.
