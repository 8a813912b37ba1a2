#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (ffmpeg, voices, Chromium, Docker engine, registry), only when missing.
set -euo pipefail

packages=(
  ffmpeg sox openssl
  espeak-ng festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
  chromium
  docker.io docker-registry busybox-static
  xvfb fonts-wqy-zenhei
  pulseaudio pulseaudio-utils
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all system packages present"
  exit 0
fi

echo "install-test-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "install-test-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done"
