# picket: a Layer-7 WAF in front of containers.
#
#   docker build -t picket .                                  # CRS 4.28.0 downloaded, sha256-checked
#   docker build --build-arg CRS_SOURCE=none -t picket .      # offline: picket's core ruleset only
#   docker build --build-arg CRS_SOURCE=context -t picket CTX # offline: CRS from CTX/crs-context/
#
# CRS_SOURCE=context expects an unpacked CRS release (rules/, crs-setup.conf.example)
# in crs-context/ of the build context; use a temporary context so CRS never
# lands in the repository (test/e2e/swarm.test.ts does this). npm ci needs the
# npm registry from the build. Works with the classic builder and BuildKit.
# CRS in the image lives in /opt/crs; enable it with PICKET_CRS=/opt/crs.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS crs
ARG CRS_SOURCE=download
ARG CRS_VERSION=4.28.0
# sha256 of github.com/coreruleset/coreruleset/archive/refs/tags/v4.28.0.tar.gz
ARG CRS_SHA256=d8acc96f25ad07c8e3a595a23c797324f6d77e59ddf9e26e90dd95ebd2e676ce
# package.json always matches, so this works whether or not crs-context/ exists.
COPY package.json crs-contex[t] /tmp/crs-context/
RUN set -eu; mkdir -p /opt/crs; \
    case "$CRS_SOURCE" in \
      none) echo "CRS_SOURCE=none: no CRS in the image" ;; \
      context) \
        test -d /tmp/crs-context/rules || { echo "CRS_SOURCE=context needs crs-context/rules in the build context" >&2; exit 1; }; \
        cp -r /tmp/crs-context/rules /tmp/crs-context/crs-setup.conf.example /opt/crs/; \
        if [ -d /tmp/crs-context/plugins ]; then cp -r /tmp/crs-context/plugins /opt/crs/; fi; \
        if [ -f /tmp/crs-context/LICENSE ]; then cp /tmp/crs-context/LICENSE /opt/crs/; fi ;; \
      download) \
        node -e "fetch(process.argv[1]).then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); require('fs').writeFileSync('/tmp/crs.tar.gz', Buffer.from(await r.arrayBuffer())); }).catch((e) => { console.error('CRS download failed:', e.message, '(offline? build with --build-arg CRS_SOURCE=none or context)'); process.exit(1); })" \
          "https://github.com/coreruleset/coreruleset/archive/refs/tags/v${CRS_VERSION}.tar.gz"; \
        echo "${CRS_SHA256}  /tmp/crs.tar.gz" | sha256sum -c -; \
        mkdir /tmp/crs && tar -xzf /tmp/crs.tar.gz -C /tmp/crs; \
        cp -r /tmp/crs/*/rules /tmp/crs/*/crs-setup.conf.example /tmp/crs/*/plugins /tmp/crs/*/LICENSE /opt/crs/ ;; \
      *) echo "CRS_SOURCE must be download, context or none, got '$CRS_SOURCE'" >&2; exit 1 ;; \
    esac; \
    rm -rf /tmp/crs /tmp/crs.tar.gz /tmp/crs-context

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY scripts/node24 ./scripts/node24
COPY rulesets ./rulesets
COPY --from=crs /opt/crs /opt/crs
# Files stay root-owned: the non-root process can read them, never change them.
USER node
EXPOSE 8080 9090
# The admin listener (PICKET_ADMIN, default 0.0.0.0:9090) answers /healthz; node itself
# probes it because the slim image has no curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const a = process.env.PICKET_ADMIN || '9090'; const port = a.split(':').pop(); fetch('http://127.0.0.1:' + port + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# bin/picket execs node (with the flag that sends catastrophic regex backtracking
# to the linear engine) on dist/, so node ends up as PID 1 and gets SIGTERM.
ENTRYPOINT ["/app/bin/picket"]
CMD ["run"]
