#!/usr/bin/env bash
# Installs the real tools the deployment checks run: promtool and prometheus (Debian's prometheus),
# systemd-analyze (Debian's systemd), and in a venv under ~/.cache the PyPI packages dockerfile
# (the official Dockerfile parser) and kubernetes-validate (the Kubernetes schemas, offline).
set -euo pipefail
tools=${HEALTHCHECK_TOOLS_DIR:-$HOME/.cache/mattermost-healthcheck/tools}
pins=(dockerfile==3.4.0 kubernetes-validate==1.37.0)
apt=()
command -v promtool >/dev/null && command -v prometheus >/dev/null || apt+=(prometheus)
command -v systemd-analyze >/dev/null || apt+=(systemd)
command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || apt+=(python3 python3-venv)
if ((${#apt[@]})); then
  echo "[deploy-tools] apt-get install ${apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt[@]}" >/dev/null
fi
stamp="$tools/venv/.stamp"
if [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  echo "[deploy-tools] pip install ${pins[*]} into $tools/venv"
  mkdir -p "$tools" && python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}"
  echo "${pins[*]}" >"$stamp"
fi
# helm v4 from its Go module (the Go module proxy), built once into $tools/bin (about 3 minutes on 2 cores).
helm_version=v4.3.2
helm_bin="$tools/bin/helm-$helm_version"
if [ ! -x "$helm_bin" ]; then
  echo "[deploy-tools] go install helm.sh/helm/v4/cmd/helm@$helm_version into $tools/bin"
  mkdir -p "$tools/bin"
  gobin=$(mktemp -d)
  GOBIN=$gobin GOFLAGS=-mod=mod GOTOOLCHAIN=local go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$helm_version" "helm.sh/helm/v4/cmd/helm@$helm_version"
  mv "$gobin/helm" "$helm_bin" && rm -rf "$gobin"
fi
# kustomize (what `kubectl apply -k` runs) from its Go module, likewise.
kustomize_version=v5.8.0
kustomize_bin="$tools/bin/kustomize-$kustomize_version"
if [ ! -x "$kustomize_bin" ]; then
  echo "[deploy-tools] go install sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version into $tools/bin"
  mkdir -p "$tools/bin"
  gobin=$(mktemp -d)
  GOBIN=$gobin GOFLAGS=-mod=mod GOTOOLCHAIN=local go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version"
  mv "$gobin/kustomize" "$kustomize_bin" && rm -rf "$gobin"
fi
