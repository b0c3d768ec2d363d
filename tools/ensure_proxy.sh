#!/usr/bin/env bash
# Makes sure configurable-http-proxy (the proxy JupyterHub starts) is in
# deploy/jupyterhub/node_modules for the JupyterHub test, from the npm registry.
# As root (CI, a fresh school server) Debian's nodejs and npm are installed when missing;
# elsewhere we only explain how to enable the test (it is skipped).
set -u
cd "$(dirname "$0")/../deploy/jupyterhub"
if [ -x node_modules/.bin/configurable-http-proxy ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "makker: installing Debian's nodejs and npm for the JupyterHub test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null \
      || { echo "makker: could not install nodejs and npm"; exit 1; }
  else
    echo "makker: node/npm not found, so the JupyterHub test will be skipped."
    echo "        To run it: sudo apt-get install nodejs npm && make proxy"
    exit 0
  fi
fi
echo "makker: installing configurable-http-proxy into deploy/jupyterhub/node_modules"
npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null \
  || { echo "makker: npm could not install configurable-http-proxy"; exit 1; }
