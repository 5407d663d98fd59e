#!/usr/bin/env bash
# Builds the Mattermost server (Team Edition) from its Go module, once per machine, into a cache
# keyed by the pins; prints the directory holding bin/, i18n/, templates/, fonts/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
key=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)
dest="$cache/mattermost-$key"
if [ -x "$dest/bin/mattermost" ] && [ -d "$dest/i18n" ]; then
  echo "$dest"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is needed to build the Mattermost test server" >&2; exit 1; }
export GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB=github.com/mattermost
tmp="$dest.tmp.$$"
rm -rf "$tmp"; mkdir -p "$tmp/bin"
# go.mod is copied so the -mod=mod resolution never edits the committed pins.
work=$(mktemp -d); trap 'rm -rf "$work" "$tmp"' EXIT
cp "$here/go.mod" "$here/go.sum" "$work/"
echo "building Mattermost server into $dest (a few minutes the first time)..." >&2
start=$(date +%s)
(cd "$work" && go build -trimpath -ldflags "-s -w" -o "$tmp/bin/mattermost" github.com/mattermost/mattermost/server/v8/cmd/mattermost) >&2
src=$(cd "$work" && go list -m -f '{{.Dir}}' github.com/mattermost/mattermost/server/v8)
for d in i18n templates fonts; do cp -r "$src/$d" "$tmp/$d"; done
chmod -R u+w "$tmp"
rm -rf "$dest"; mv "$tmp" "$dest"
echo "built in $(( $(date +%s) - start ))s" >&2
echo "$dest"
