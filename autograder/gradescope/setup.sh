#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu 22.04). It installs Node 20 and the kit's dependencies, and creates
# the unprivileged user that runs student code.
set -euo pipefail

NODE_VERSION=20.20.2
SOURCE=/autograder/source

apt-get update -qq
apt-get install -y -qq curl ca-certificates xz-utils
curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz" \
  | tar -xJ -C /usr/local --strip-components=1
node --version

cd "$SOURCE"
npm ci --no-audit --no-fund
id -u student >/dev/null 2>&1 || useradd --create-home --shell /bin/bash student
