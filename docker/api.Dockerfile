# The HTTP API (REST /v1, GraphQL /graphql): docker build -f docker/api.Dockerfile -t netplay-api .
# With NETPLAY_DATABASE_URL and NETPLAY_REDIS_URL it runs as in production (migrates on start, runs
# go to the workers); without them it runs embedded on PGlite in /data. Settings: docs/settings.md;
# running it: docs/deploy.md.
ARG NODE_IMAGE=node:26-bookworm-slim

# Build stage: every dependency (TypeScript, Vite, the Prisma CLI for `prisma generate`), then the
# page and the API, compiled with decorator metadata (Nest needs it).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY apps/cli/package.json apps/cli/package.json
COPY libs/sdk/package.json libs/sdk/package.json
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY apps ./apps
# The playground page bundles the shipped examples (examples/manifests) and the engine.
COPY examples ./examples
COPY exercises ./exercises
RUN npm run build:web && npm run build:api

# Runtime stage: production dependencies only, no compiler, no sources. prisma/schema.prisma is
# absent here, so the root postinstall skips `prisma generate`: the client is compiled into dist/.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cli/package.json apps/cli/package.json
COPY libs/sdk/package.json libs/sdk/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/api ./dist/apps/api
# The playground page (docs/web.md), served at / by the API.
COPY --from=build /app/dist/apps/web ./dist/apps/web
# The API applies these on start (libs/db/src/migrate.ts); it finds the nearest prisma/migrations.
COPY prisma/migrations ./prisma/migrations
# Embedded mode seeds the example sandbox and the shipped exercises on its first start.
COPY examples/manifests ./examples/manifests
COPY exercises ./exercises
# The embedded database and the development key live in /data, the one folder the non-root user
# may write (mount a volume there to keep them across restarts). Production mode writes nothing.
RUN mkdir -p /data && chown node:node /data
ENV NETPLAY_DATA_DIR=/data/pglite \
    NETPLAY_PORT=3000
VOLUME ["/data"]
USER node
EXPOSE 3000
# SIGTERM: /readyz answers 503, requests in flight finish, then the process exits (docs/deploy.md).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NETPLAY_PORT||3000)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
