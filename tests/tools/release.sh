#!/usr/bin/env bash
# make release: everything an admin downloads, in dist/release, from what `make dist` built:
#   mattermost-healthcheck-<v>.tar.gz          the plugin bundle (System Console upload, mmctl plugin add)
#   mattermost-healthcheck-bridge-<v>.tgz      the bridge package (publishable, with npm-shrinkwrap.json)
#   mattermost-healthcheck-bridge-<v>.cdx.json its CycloneDX SBOM (npm sbom, from that shrinkwrap)
#   mattermost-healthcheck-bridge-image-<v>.tar the container image (podman save; podman/docker load)
#   mattermost-healthcheck-<v>.tgz (chart)     the Helm chart (helm package)
#   mattermost-healthcheck-deploy-<v>.tar.gz   deploy/: systemd, kustomize, Prometheus rules, Grafana
#   SHA256SUMS
# RELEASE_WITHOUT_IMAGE=1 leaves the image out where podman cannot build one (said, never silent).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
id=$(node -p "require('./plugin.json').id")
version=$(node -p "require('./plugin.json').version")
tools=${HEALTHCHECK_TOOLS_DIR:-$HOME/.cache/mattermost-healthcheck/tools}
out=dist/release
rm -rf "$out" && mkdir -p "$out"
bash tests/deploy/tools.sh >/dev/null

cp "dist/$id-$version.tar.gz" "dist/$id-bridge-$version.tgz" "$out/"
tar -czf "$out/$id-deploy-$version.tar.gz" --exclude=deploy/helm --exclude=deploy/kubernetes/secrets deploy
"$tools/bin/helm-v4.3.2" package deploy/helm/mattermost-healthcheck --version "$version" --app-version "$version" -d "$out" 2>/dev/null | sed 's/^/[release] /'

# The SBOM of exactly what the package installs: its shrinkwrap, read in a folder named as the package.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$id-bridge" && tar -xzf "$out/$id-bridge-$version.tgz" -C "$stage/$id-bridge" --strip-components=1
(cd "$stage/$id-bridge" && npm sbom --sbom-format cyclonedx --omit dev --package-lock-only) >"$out/$id-bridge-$version.cdx.json"

image="localhost/$id-bridge:$version"
built=$(HC_IMAGE=$image bash tests/deploy/container.sh)
base=$(sed -n 's/^BASE //p' <<<"$built")
if grep -q "^IMAGE " <<<"$built"; then
  podman --runtime runc save -o "$out/$id-bridge-image-$version.tar" "$image"
  echo "[release] image $image on $base"
  case $base in localhost/*) echo "[release] note: $base is the stand-in of container.sh (Docker Hub's node image could not be pulled here)" ;; esac
elif [ "${RELEASE_WITHOUT_IMAGE:-}" = 1 ]; then
  echo "[release] no image: $(tail -1 <<<"$built")"
else
  echo "[release] no image: $(tail -1 <<<"$built") (RELEASE_WITHOUT_IMAGE=1 releases without it)" >&2
  exit 1
fi

(cd "$out" && sha256sum -- * >SHA256SUMS)
ls -l "$out" | sed 's/^/[release] /'
