#!/usr/bin/env bash
# Starts a real Mattermost server (and its own PostgreSQL cluster) for tests or the demo, on
# loopback, in the background; bootstraps an admin, a team, the bot, channels and a probe user;
# writes <run>/env. A second call while the instance runs only prints that env again.
#   MM_INSTANCE (demo)  MM_PORT (8065)  PG_PORT (55432)  HEALTHCHECK_CACHE (~/.cache/mattermost-healthcheck)
#   MATTERMOST_CLIENT_DIR (<cache>/webapp-10.12.0: a Mattermost release's compiled web app, served when present)
#   MM_WEBAPP=0 serves the stand-in root.html even when the web app is present
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
instance=${MM_INSTANCE:-demo}
mm_port=${MM_PORT:-8065}
pg_port=${PG_PORT:-55432}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/$instance"
log() { echo "[mattermost-up:$instance] $*" >&2; }
die() { echo "[mattermost-up:$instance] error: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if alive "$run/mattermost.pid" && [ -f "$run/env" ]; then
  log "already running (pid $(cat "$run/mattermost.pid")) at http://127.0.0.1:$mm_port"
  exit 0
fi

# shellcheck source=tests/mattermost/postgres.sh
source "$here/postgres.sh"
pg_ensure_installed
mmdir=$("$here/build.sh")

port_taken "$mm_port" && die "port $mm_port is already in use (another Mattermost?); choose another with MM_PORT=..."
mkdir -p "$run"
pg_start "$run/pg" "$pg_port"
db="mmhc_$(echo "$instance" | tr -c 'a-zA-Z0-9\n' '_')"
pg_fresh_database "$run/pg" "$pg_port" "$db"

# A fresh runtime directory each start: the binary and its files, an empty config and data.
rm -rf "$run/mm"; mkdir -p "$run/mm/client/plugins" "$run/mm/plugins" "$run/mm/data" "$run/mm/logs" "$run/mm/config" "$run/sock"
ln -s "$mmdir/bin" "$run/mm/bin"
for d in i18n templates fonts; do ln -s "$mmdir/$d" "$run/mm/$d"; done
# The real web app when its compiled client/ folder is on this machine (never committed): its files
# are copied beside the server's own client/plugins/. Without it, a labelled stand-in root.html lets
# the login_page probe pass.
client_dir=${MATTERMOST_CLIENT_DIR:-$cache/webapp-10.12.0}
webapp=none
if [ "${MM_WEBAPP:-1}" = 1 ] && [ -f "$client_dir/root.html" ]; then
  for f in "$client_dir"/* "$client_dir"/.[!.]*; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = plugins ] && continue
    cp -R "$f" "$run/mm/client/"
  done
  webapp=$client_dir
  log "serving the real web app from $client_dir"
elif [ "${MM_LOGIN_PAGE_FIXTURE:-1}" = 1 ]; then
  cp "$here/root.html" "$run/mm/client/root.html"
fi

site="http://127.0.0.1:$mm_port"
env_vars=(
  MM_SQLSETTINGS_DRIVERNAME=postgres
  "MM_SQLSETTINGS_DATASOURCE=postgres://mmhc:mmhc@127.0.0.1:$pg_port/$db?sslmode=disable&connect_timeout=10"
  MM_SERVICESETTINGS_LISTENADDRESS=127.0.0.1:$mm_port
  MM_SERVICESETTINGS_SITEURL=$site
  MM_SERVICESETTINGS_ENABLELOCALMODE=true
  MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION=$run/sock/mm.sock
  MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true
  MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true
  MM_SERVICESETTINGS_ENABLECOMMANDS=true
  MM_SERVICESETTINGS_ENABLEPOSTUSERNAMEOVERRIDE=false
  "MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS=127.0.0.1 localhost 127.0.0.0/8"
  MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false
  MM_SERVICESETTINGS_ENABLELINKPREVIEWS=false
  MM_SERVICESETTINGS_ENABLEAPIPOSTDELETION=true
  MM_TEAMSETTINGS_ENABLEOPENSERVER=true
  MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
  MM_RATELIMITSETTINGS_ENABLE=false
  MM_PLUGINSETTINGS_ENABLE=true
  MM_PLUGINSETTINGS_ENABLEUPLOADS=true
  MM_PLUGINSETTINGS_REQUIREPLUGINSIGNATURE=false
  MM_PLUGINSETTINGS_ENABLEMARKETPLACE=false
  MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE=false
  MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS=false
  MM_PLUGINSETTINGS_DIRECTORY=$run/mm/plugins
  MM_PLUGINSETTINGS_CLIENTDIRECTORY=$run/mm/client/plugins
  MM_FILESETTINGS_DIRECTORY=$run/mm/data/
  MM_LOGSETTINGS_FILELOCATION=$run/mm/logs
  MM_NOTIFICATIONLOGSETTINGS_FILELOCATION=$run/mm/logs
  MM_LOGSETTINGS_CONSOLELEVEL=ERROR
  MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
  MM_LOGSETTINGS_ENABLEFILE=true
  MM_METRICSSETTINGS_ENABLE=false
  MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false
  MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false
)
printf '%s\n' "${env_vars[@]}" > "$run/mattermost.env"
MM_INSTANCE=$instance MM_PORT=$mm_port "$here/serve.sh"

node "$here/bootstrap.mjs" "$site" "$run/env.tmp" "$instance"
{ echo "MM_INSTANCE=$instance"; echo "MM_RUN_DIR=$run"; echo "PG_PORT=$pg_port"; echo "MM_WEBAPP_DIR=$webapp"; cat "$run/env.tmp"; } > "$run/env"
rm -f "$run/env.tmp"; chmod 600 "$run/env"
log "ready; settings in $run/env"
