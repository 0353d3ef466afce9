#!/bin/sh
# carenet on one machine, as docs/deploy.md sets it up, with the same files: the
# environment template, deploy/bin/carenet-web (what carenet-web@.service runs), the
# worker's command and the nginx site with its proxy rules. It needs PostgreSQL and Redis
# on this machine, and installs nginx with apt-get when it is missing (as root).
#
#   deploy/onebox.sh up      create the database, migrate, start two app servers, the
#                            worker and nginx (HTTPS, self-signed), then run `check`
#   deploy/onebox.sh check   the site answers through the proxy
#   deploy/onebox.sh down    stop what `up` started (by the process ids it recorded)
#   deploy/onebox.sh purge   `down`, then drop the database and the run folder
#
# Everything is local to ONEBOX_DIR, on ports and databases of its own; settings:
ONEBOX_DIR=${ONEBOX_DIR:-/tmp/carenet-onebox}
ONEBOX_DB=${ONEBOX_DB:-carenet_onebox}
ONEBOX_PG=${ONEBOX_PG:-postgresql://postgres@127.0.0.1:5432}
ONEBOX_REDIS=${ONEBOX_REDIS:-redis://127.0.0.1:6379}
ONEBOX_REDIS_DBS=${ONEBOX_REDIS_DBS:-12 13}  # job queue, rate limits
ONEBOX_APP_PORTS=${ONEBOX_APP_PORTS:-8001 8002}
ONEBOX_HTTP_PORT=${ONEBOX_HTTP_PORT:-8080}
ONEBOX_HTTPS_PORT=${ONEBOX_HTTPS_PORT:-8443}
ONEBOX_WORKERS=${ONEBOX_WORKERS:-2}  # gunicorn workers per app server
set -eu

APP=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
ENV_FILE=$ONEBOX_DIR/carenet.env
SITE=https://127.0.0.1:$ONEBOX_HTTPS_PORT

say() { echo "onebox: $*"; }
fail() { echo "onebox: $*" >&2; exit 1; }

require_tools() {
    if ! command -v nginx >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || fail "nginx is missing: apt-get install nginx (as root)"
        say "installing nginx (Debian's package)"
        apt-get install -y -q nginx >/dev/null
    fi
    for tool in psql redis-cli openssl curl; do
        command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing"
    done
    [ -x "$APP/.venv/bin/carenet" ] || fail "no $APP/.venv: make install (docs/deploy.md)"
    redis-cli -u "$ONEBOX_REDIS" ping >/dev/null || fail "Redis does not answer at $ONEBOX_REDIS"
}

# Set KEY=VALUE in the environment file, replacing the template's line.
set_env() {
    grep -v "^$1=" "$ENV_FILE" >"$ENV_FILE.new" || true
    printf '%s="%s"\n' "$1" "$2" >>"$ENV_FILE.new"
    mv "$ENV_FILE.new" "$ENV_FILE"
}

write_env() {
    [ -s "$ONEBOX_DIR/secret" ] || openssl rand -hex 32 >"$ONEBOX_DIR/secret"
    set -- $ONEBOX_REDIS_DBS
    cp "$APP/deploy/carenet.env.example" "$ENV_FILE"
    chmod 600 "$ENV_FILE"
    set_env CARENET_SECRET_KEY "$(cat "$ONEBOX_DIR/secret")"
    set_env CARENET_DATABASE_URL "postgresql+psycopg://${ONEBOX_PG#*://}/$ONEBOX_DB"
    set_env CARENET_JOB_QUEUE_URL "$ONEBOX_REDIS/$1"
    set_env CARENET_RATE_LIMIT_STORAGE_URL "$ONEBOX_REDIS/$2"
    set_env CARENET_MAIL_BACKEND "carenet.notifications.mail"  # no SMTP relay here
    set_env CARENET_MAIL_BASE_URL "$SITE"
    set_env GUNICORN_CMD_ARGS "--workers $ONEBOX_WORKERS"
}

load_env() {
    set -a
    . "$ENV_FILE"
    set +a
}

create_database() {
    exists=$(psql "$ONEBOX_PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$ONEBOX_DB'")
    if [ "$exists" != 1 ]; then
        psql "$ONEBOX_PG/postgres" -qc "CREATE DATABASE \"$ONEBOX_DB\""
    fi
}

# Start "$@" in the background, its output in $1.log and its process id in $1.pid.
start() {
    name=$1
    shift
    if [ -s "$ONEBOX_DIR/$name.pid" ] && kill -0 "$(cat "$ONEBOX_DIR/$name.pid")" 2>/dev/null; then
        say "$name already runs"
        return
    fi
    nohup "$@" >"$ONEBOX_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$ONEBOX_DIR/$name.pid"
}

# Wait until URL answers 200 (curl's extra options after it).
wait_for() {
    url=$1
    shift
    tries=0
    until curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -lt 120 ] || fail "$url does not answer (logs in $ONEBOX_DIR)"
        sleep 0.5
    done
}

start_app() {
    for port in $ONEBOX_APP_PORTS; do
        rm -rf "$ONEBOX_DIR/metrics-$port"
        mkdir "$ONEBOX_DIR/metrics-$port"
        PROMETHEUS_MULTIPROC_DIR="$ONEBOX_DIR/metrics-$port" \
            start "web-$port" "$APP/deploy/bin/carenet-web" "127.0.0.1:$port"
    done
    start worker "$APP/.venv/bin/carenet" worker --workers 1
    for port in $ONEBOX_APP_PORTS; do
        wait_for "http://127.0.0.1:$port/healthz"
    done
}

# The site file of docs/deploy.md with this machine's ports, certificate and paths.
write_site() {
    upstreams=""
    for port in $ONEBOX_APP_PORTS; do
        upstreams="$upstreams    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;\\n"
    done
    sed -e '/^ *server 127\.0\.0\.1:80[0-9]*/d' \
        -e "s|^\( *keepalive .*\)|$upstreams\1|" \
        -e '/listen \[::\]/d' \
        -e "s|listen 80;|listen 127.0.0.1:$ONEBOX_HTTP_PORT;|" \
        -e "s|listen 443 |listen 127.0.0.1:$ONEBOX_HTTPS_PORT |" \
        -e "s|/etc/ssl/certs/carenet.pem|$ONEBOX_DIR/tls.pem|" \
        -e "s|/etc/ssl/private/carenet.key|$ONEBOX_DIR/tls.key|" \
        -e "s|/etc/nginx/snippets/carenet-proxy.conf|$APP/deploy/nginx/carenet-proxy.conf|" \
        "$APP/deploy/nginx/carenet.conf" >"$ONEBOX_DIR/site.conf"
}

write_nginx_conf() {
    [ -s "$ONEBOX_DIR/tls.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
        -subj /CN=localhost -keyout "$ONEBOX_DIR/tls.key" -out "$ONEBOX_DIR/tls.pem" 2>/dev/null
    mkdir -p "$ONEBOX_DIR/nginx-tmp"
    user=""
    if [ "$(id -u)" = 0 ]; then
        user="user www-data;"
        chown www-data "$ONEBOX_DIR/nginx-tmp"
    fi
    write_site
    cat >"$ONEBOX_DIR/nginx.conf" <<EOF
$user
worker_processes 1;
pid $ONEBOX_DIR/nginx.pid;
error_log $ONEBOX_DIR/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $ONEBOX_DIR/nginx-access.log;
    client_body_temp_path $ONEBOX_DIR/nginx-tmp/body;
    proxy_temp_path $ONEBOX_DIR/nginx-tmp/proxy;
    fastcgi_temp_path $ONEBOX_DIR/nginx-tmp/fastcgi;
    uwsgi_temp_path $ONEBOX_DIR/nginx-tmp/uwsgi;
    scgi_temp_path $ONEBOX_DIR/nginx-tmp/scgi;
    include $ONEBOX_DIR/site.conf;
}
EOF
}

start_nginx() {
    write_nginx_conf
    if [ -s "$ONEBOX_DIR/nginx.pid" ] && kill -0 "$(cat "$ONEBOX_DIR/nginx.pid")" 2>/dev/null; then
        nginx -q -p "$ONEBOX_DIR" -c "$ONEBOX_DIR/nginx.conf" -s reload
    else
        nginx -q -t -p "$ONEBOX_DIR" -c "$ONEBOX_DIR/nginx.conf"
        nginx -p "$ONEBOX_DIR" -c "$ONEBOX_DIR/nginx.conf"
    fi
}

up() {
    require_tools
    mkdir -p "$ONEBOX_DIR"
    touch "$ONEBOX_DIR/.onebox"
    write_env
    load_env
    create_database
    say "migrating $ONEBOX_DB"
    "$APP/.venv/bin/carenet" init
    start_app
    start_nginx
    check
}

# Fail unless PATH answers 200 through the proxy with a body containing TEXT.
expect() {
    body=$(curl -fsS -k --max-time 10 "$SITE$1") || fail "$SITE$1 did not answer 200"
    case "$body" in *"$2"*) ;; *) fail "$SITE$1 answered without \"$2\"" ;; esac
}

check() {
    wait_for "$SITE/healthz" -k
    expect /healthz '"status"'
    wait_for "$SITE/readyz" -k
    expect /readyz '"ready"'
    expect /api/openapi.json '"openapi"'
    expect / '<html'
    headers=$(curl -fsS -k -o /dev/null -D - "$SITE/")
    echo "$headers" | grep -qi '^strict-transport-security:' || fail "no HSTS: not the production profile?"
    echo "$headers" | grep -qi '^x-request-id: [0-9a-f]\{32\}' || fail "no request id from nginx"
    metrics=$(curl -sS -k -o /dev/null -w '%{http_code}' "$SITE/metrics")
    [ "$metrics" = 404 ] || fail "/metrics is served through the proxy ($metrics)"
    running=""
    for port in $ONEBOX_APP_PORTS; do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null || continue
        running="$running $port"
        curl -fsS "http://127.0.0.1:$port/metrics" | grep -q '^carenet_http_request_duration_seconds_count' \
            || fail "no request metrics on the app server $port"
    done
    redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$ONEBOX_HTTP_PORT/")
    case "$redirect" in "301 https://"*) ;; *) fail "plain HTTP is not redirected: $redirect" ;; esac
    say "the site answers through nginx at $SITE/ (app servers up:$running)"
}

stop_pid() {
    file=$ONEBOX_DIR/$1.pid
    [ -s "$file" ] || return 0
    pid=$(cat "$file")
    if kill "-$2" "$pid" 2>/dev/null; then
        tries=0
        while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 60 ]; do
            tries=$((tries + 1))
            sleep 0.5
        done
    fi
    rm -f "$file"
}

down() {
    [ -d "$ONEBOX_DIR" ] || return 0
    stop_pid nginx QUIT
    for port in $ONEBOX_APP_PORTS; do
        stop_pid "web-$port" TERM
    done
    stop_pid worker INT
    say "stopped"
}

purge() {
    down
    psql "$ONEBOX_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$ONEBOX_DB\" WITH (FORCE)"
    if [ -f "$ONEBOX_DIR/.onebox" ]; then
        rm -rf "$ONEBOX_DIR"
    fi
    say "database $ONEBOX_DB dropped"
}

case "${1:-}" in
    up) up ;;
    check) check ;;
    down) down ;;
    purge) purge ;;
    *) echo "usage: $0 up|check|down|purge" >&2; exit 2 ;;
esac
