#!/usr/bin/env bash
# Installs the bridge as a systemd service, after `npm install --global` of the bridge package:
#   sudo ./install.sh --url https://chat.example.com --admin-token-file /root/mm-admin-token --team myteam
# The arguments go to `mattermost-healthcheck-bridge setup` (not --secrets-dir: the script gives it). It makes /etc/mattermost-healthcheck
# (0700) and its secrets folder first, writes bridge.env only when setup succeeded, listens on
# loopback unless HEALTHCHECK_LISTEN is given (a private address, never a public one), installs
# the unit, and on systemd older than 247 (no LoadCredential) the drop-in pre-247.conf.
# HC_ROOT installs under another root and starts nothing (the tests run it on a fresh folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${HC_ROOT:-}
etc=$root/etc/mattermost-healthcheck
units=$root/etc/systemd/system
unit=mattermost-healthcheck-bridge.service
bin=${HC_BRIDGE_BIN:-mattermost-healthcheck-bridge}

install -d -m 0700 "$etc" "$etc/secrets"
settings=$(mktemp)
trap 'rm -f "$settings"' EXIT
# No pipe: setup's exit status is the script's (3: a secret in use was not given; 1: Mattermost refused).
"$bin" setup --secrets-dir "$etc/secrets" "$@" >"$settings" || {
  status=$?
  echo "install: setup failed (exit $status); nothing installed" >&2
  exit "$status"
}
# The unit names the secret files itself (credentials), so the *_FILE lines stay out of bridge.env.
grep -v '_FILE=' "$settings" >"$etc/bridge.env.new" || true
echo "HEALTHCHECK_LISTEN=${HEALTHCHECK_LISTEN:-127.0.0.1:8075}" >>"$etc/bridge.env.new"
chmod 0600 "$etc/bridge.env.new" && mv "$etc/bridge.env.new" "$etc/bridge.env"

install -d "$units"
install -m 0644 "$here/$unit" "$units/$unit"
version=$(systemctl --version 2>/dev/null | awk 'NR == 1 {print $2}')
version=${HC_SYSTEMD_VERSION:-${version:-0}}
if [ "$version" -lt 247 ]; then
  # LoadCredential and %d came with systemd 247: a static user reads the secrets folder instead.
  install -d "$units/$unit.d"
  install -m 0644 "$here/pre-247.conf" "$units/$unit.d/pre-247.conf"
  if [ -z "$root" ]; then
    id -u mattermost-healthcheck >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin mattermost-healthcheck
    chown -R mattermost-healthcheck: "$etc/secrets"
  fi
  echo "install: systemd $version is older than 247: the service runs as the user mattermost-healthcheck and reads $etc/secrets (0700) itself"
fi
if [ -z "$root" ]; then
  systemctl daemon-reload
  systemctl enable --now mattermost-healthcheck-bridge
  echo "install: started; logs: journalctl -u mattermost-healthcheck-bridge -f"
else
  echo "install: installed under $root (nothing started)"
fi
