#!/usr/bin/env bash
# Runs before `npm test`: installs from Debian what the browser and HTML-validity tests need
# when it is missing, then builds, so CLI tests run the same compiled code users run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# e2e/deploy-nginx.test.ts runs deploy/nginx.conf in front of two instances.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# xmllint validates the sitemaps against their XSDs.
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "pretest: installing ${missing[*]} with apt-get" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# The suite runs a second time on PostgreSQL (NEWSDESK_TEST_PG_URL, by default this machine's
# server with trust auth and its database `test`); say so now rather than in a thousand failures.
node -e "
  const pg = require('pg');
  const url = process.env.NEWSDESK_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.connect().then(() => client.end(), (err) => {
    console.error('pretest: PostgreSQL is not reachable at ' + url + ' (' + err.message + '); set NEWSDESK_TEST_PG_URL');
    process.exit(1);
  });
"

npm run --silent build
