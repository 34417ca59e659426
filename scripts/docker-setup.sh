#!/usr/bin/env bash
# Makes a local Docker engine usable for picket's e2e test: installs docker.io
# when dockerd is missing, starts dockerd in the background when no daemon
# answers (its pid goes to .tools/dockerd.pid, its log to .tools/dockerd.log),
# and initialises a single-node swarm when the engine is not in one.
# Safe to run again: each step is skipped when already done. It never stops a
# daemon it did not start; `scripts/docker-setup.sh --stop` stops only the one
# whose pid it recorded.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.tools"
mkdir -p "$state"

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$state/dockerd.pid" ]; then
    pid="$(cat "$state/dockerd.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "docker-setup: stopping dockerd $pid (started by this script)" >&2
      kill "$pid"
    fi
    rm -f "$state/dockerd.pid"
  fi
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  echo "docker-setup: installing docker.io (apt)" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq docker.io >&2
fi

if ! docker info >/dev/null 2>&1; then
  echo "docker-setup: starting dockerd (log: $state/dockerd.log)" >&2
  as_root nohup dockerd >"$state/dockerd.log" 2>&1 &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "docker-setup: dockerd did not start; see $state/dockerd.log" >&2; tail -20 "$state/dockerd.log" >&2; exit 1; }
fi

if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
  echo "docker-setup: initialising a single-node swarm" >&2
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi
echo "docker-setup: engine $(docker version --format '{{.Server.Version}}'), swarm $(docker info --format '{{.Swarm.LocalNodeState}}')" >&2
