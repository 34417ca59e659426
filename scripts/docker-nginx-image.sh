#!/usr/bin/env bash
# Makes a small local nginx image where no registry can be reached (no
# `docker pull nginx`): this machine's Debian nginx binary, exactly the shared
# libraries `ldd` lists, mime.types, and an nginx.conf laid out as in the
# official image (includes /etc/nginx/conf.d/*.conf inside `http {}`, runs
# workers as the `nginx` user, logs to stdout/stderr, `daemon off`), imported
# with `docker import`. deploy/swarm/mirror.yml then runs it unchanged with
# NGINX_IMAGE=TAG: its config lands in /etc/nginx/conf.d/default.conf, as with
# the official nginx:1.27-alpine.
#
# Usage: scripts/docker-nginx-image.sh TAG   (e.g. picket-e2e-nginx:run1)
# Replaces TAG only when this script made it (label org.picket.local-nginx).
# No shell or other tools are inside: it runs nginx and nothing else.
set -euo pipefail
tag="${1:?usage: scripts/docker-nginx-image.sh TAG}"
nginx_bin="${NGINX_BIN:-/usr/sbin/nginx}"
[ -x "$nginx_bin" ] || { echo "docker-nginx-image: no nginx at $nginx_bin (Debian: apt-get install -y nginx)" >&2; exit 1; }
[ -f /etc/nginx/mime.types ] || { echo "docker-nginx-image: /etc/nginx/mime.types missing (Debian: apt-get install -y nginx-common)" >&2; exit 1; }
if docker image inspect "$tag" >/dev/null 2>&1; then
  made_here="$(docker image inspect --format '{{index .Config.Labels "org.picket.local-nginx"}}' "$tag" 2>/dev/null || true)"
  [ "$made_here" = "true" ] || { echo "docker-nginx-image: $tag exists and was not made here; not replacing it" >&2; exit 1; }
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{usr/sbin,lib64,lib/x86_64-linux-gnu,etc/nginx/conf.d,var/log/nginx,var/lib/nginx,var/lock,run,tmp,usr/share/nginx}
chmod 1777 "$rootfs/tmp"

cp "$nginx_bin" "$rootfs/usr/sbin/nginx"
for lib in $(ldd "$nginx_bin" | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}' | sort -u); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp /etc/nginx/mime.types "$rootfs/etc/nginx/mime.types"

# The official image's layout. The Debian binary's compiled-in paths
# (nginx -V): conf /etc/nginx/nginx.conf, temp dirs under /var/lib/nginx,
# pid /run/nginx.pid, lock /var/lock; the error log before the config is read: stderr.
cat >"$rootfs/etc/nginx/nginx.conf" <<'CONF'
user nginx;
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for"';
    access_log /var/log/nginx/access.log main;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
CONF
ln -s /dev/stdout "$rootfs/var/log/nginx/access.log"
ln -s /dev/stderr "$rootfs/var/log/nginx/error.log"

# uid/gid 101 as in the official image. glibc >= 2.34 has the files and dns
# NSS backends built in, so these files are all name lookups need.
cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nginx:x:101:101:nginx:/nonexistent:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nginx:x:101:
GROUP
echo 'hosts: files dns' >"$rootfs/etc/nsswitch.conf"

version="$("$nginx_bin" -v 2>&1 | sed 's|.*nginx/||')"
tar -C "$rootfs" -c . | docker import \
  --change 'EXPOSE 80' \
  --change 'LABEL org.picket.local-nginx=true' \
  --change "LABEL org.picket.nginx-version=$version" \
  --change 'CMD ["/usr/sbin/nginx", "-g", "daemon off;"]' \
  - "$tag" >/dev/null
echo "docker-nginx-image: made $tag (nginx $version, $(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1/1e6}'))" >&2
