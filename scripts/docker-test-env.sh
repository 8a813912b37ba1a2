#!/usr/bin/env bash
# Makes sure the Docker engine and a local image registry run, for the tests under test/docker.
# Idempotent: reuses a running daemon and a registry that already answers. Needs root to start dockerd.
# Registry address: 127.0.0.1:5000, or FUNSCRIBE_TEST_REGISTRY (host:port).
set -euo pipefail

registry=${FUNSCRIBE_TEST_REGISTRY:-127.0.0.1:5000}
dockerd_log=${FUNSCRIBE_DOCKERD_LOG:-/tmp/funscribe-dockerd.log}
registry_dir=${FUNSCRIBE_REGISTRY_DIR:-/var/tmp/funscribe-registry}

say() { echo "docker-test-env: $*"; }
fail() {
  echo "docker-test-env: $*" >&2
  exit 1
}

# Polls a command every 0.25 s until it succeeds or `seconds` pass.
wait_for() {
  local seconds=$1
  shift
  local tries=$((seconds * 4))
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  return 1
}

# Exit status 0 when GET http://<registry>/v2/ answers 200 (node is always there for the tests; curl may not be).
registry_answers() {
  node -e '
    fetch(`http://${process.argv[1]}/v2/`, { signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));
  ' "$registry"
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    say "Docker engine already running"
    return
  fi
  command -v dockerd >/dev/null 2>&1 || fail "dockerd is not installed; run scripts/install-test-deps.sh (Debian package docker.io)"
  [ "$(id -u)" -eq 0 ] || fail "the Docker engine is not running and starting it needs root (run this script as root, or start dockerd yourself)"
  if command -v pgrep >/dev/null && pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is starting already; waiting for it"
  else
    # A daemon killed with its session leaves pid files behind; with no dockerd running they are stale.
    rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
    setsid nohup dockerd >"$dockerd_log" 2>&1 </dev/null &
    say "started dockerd (pid $!, log $dockerd_log)"
  fi
  wait_for 30 docker info || fail "the Docker engine did not answer within 30 s; see $dockerd_log"
  say "Docker engine ready"
}

start_registry() {
  if registry_answers; then
    say "registry already answering on $registry"
    return
  fi
  local binary=/usr/bin/docker-registry
  [ -x "$binary" ] || fail "$binary is missing; run scripts/install-test-deps.sh (Debian package docker-registry)"
  mkdir -p "$registry_dir/data"
  cat >"$registry_dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $registry_dir/data
  delete:
    enabled: true
http:
  addr: $registry
EOF
  setsid nohup "$binary" serve "$registry_dir/config.yml" >"$registry_dir/registry.log" 2>&1 </dev/null &
  say "started docker-registry on $registry (pid $!, storage $registry_dir/data, log $registry_dir/registry.log)"
  wait_for 15 registry_answers || fail "the registry did not answer on http://$registry/v2/ within 15 s (port taken by something else?); see $registry_dir/registry.log"
  say "registry ready on $registry"
}

start_docker
start_registry
