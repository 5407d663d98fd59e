# The health-check bridge as a container: built from this checkout, run as a non-root user, secrets
# read from files (/run/secrets/<name>, where podman/docker secrets land). `make container` builds it.
ARG NODE_IMAGE=docker.io/library/node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json plugin.json ./
COPY server-bridge/package.json server-bridge/
COPY webapp/package.json webapp/
RUN npm ci --workspace server-bridge --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY server-bridge/ server-bridge/
# The image installs the same package `make dist` produces, with its npm-shrinkwrap.json (the
# versions of package-lock.json), so both ways run the same files on the same dependencies.
RUN npm run build --workspace server-bridge && node server-bridge/scripts/pack.mjs /pkg

FROM ${NODE_IMAGE}
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="mattermost-healthcheck-bridge" \
      org.opencontainers.image.description="The Mattermost health-check bridge: synthetic probes, incident posts, /healthcheck, Prometheus metrics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/mattermost-healthcheck/mattermost-healthcheck" \
      org.opencontainers.image.documentation="https://github.com/mattermost-healthcheck/mattermost-healthcheck#readme"
COPY --from=build /pkg/ /tmp/pkg/
# npm ci in the unpacked package installs exactly its shrinkwrap (npm install -g of a tarball would not).
RUN mkdir -p /opt/mattermost-healthcheck-bridge \
    && tar -xzf /tmp/pkg/*.tgz -C /opt/mattermost-healthcheck-bridge --strip-components=1 \
    && cd /opt/mattermost-healthcheck-bridge && npm ci --omit=dev --no-audit --no-fund \
    && ln -s /opt/mattermost-healthcheck-bridge/dist/main.js /usr/local/bin/mattermost-healthcheck-bridge \
    && rm -rf /tmp/pkg /root/.npm \
    && mkdir -p /var/lib/mattermost-healthcheck \
    && chown 1000:1000 /var/lib/mattermost-healthcheck
# NODE_OPTIONS: a small young generation (~9 MB less RSS on Node 24 for a process that allocates little)
# and an old generation of 128 MB, which V8 then grows by small steps: 50 targets stay under 128 MB of
# RSS (220-258 MB uncapped); about 50 targets with 90 days of history per 128 MB (make bench).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    HEALTHCHECK_LISTEN=0.0.0.0:8075 \
    HEALTHCHECK_STATE_FILE=/var/lib/mattermost-healthcheck/state.json \
    HEALTHCHECK_BOT_TOKEN_FILE=/run/secrets/bot-token \
    HEALTHCHECK_PROBE_PASSWORD_FILE=/run/secrets/probe-password
USER 1000:1000
VOLUME ["/var/lib/mattermost-healthcheck"]
EXPOSE 8075
# The slim image has no curl: node asks /healthz on the port HEALTHCHECK_LISTEN names.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "const port = (process.env.HEALTHCHECK_LISTEN || '').split(':').pop() || '8075'; fetch(`http://127.0.0.1:${port}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["mattermost-healthcheck-bridge"]
CMD ["run"]
