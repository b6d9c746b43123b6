#!/usr/bin/env bash
# nginx from Debian's packages for the tests that run server nodes behind it. Idempotent: safe to run again.
# Installs it when missing; prints only the export line on stdout; use it as:  eval "$(bash .ci/nginx.sh)"
# The tests start their own nginx (their own configuration, ports and folders), never the system's service.
set -euo pipefail
log() { echo "nginx.sh: $*" >&2; }

find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
NGINX="$(find_nginx)"
if [ -z "$NGINX" ]; then
    log "installing nginx from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends nginx-light >&2 || apt-get install -y -qq nginx >&2
    NGINX="$(find_nginx)"
fi
if [ -z "$NGINX" ]; then
    log "nginx could not be installed"
    exit 1
fi
log "ready: $("$NGINX" -v 2>&1)"
echo "export EXPO_HALL_TEST_NGINX=$NGINX"
