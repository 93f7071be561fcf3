#!/usr/bin/env bash
# Install Debian's Chromium, ChromeDriver and a CJK font for the browser tests of the graph view.
# Idempotent; needs root (CI and developer machines run as root). Nothing is downloaded by a test tool.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "setup-browser.sh: not root; install chromium chromium-driver fonts-noto-cjk yourself" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
