# The worker (scenario runs, grading, webhook deliveries, retention):
# docker build -f docker/worker.Dockerfile -t netplay-worker .
# Needs NETPLAY_DATABASE_URL and NETPLAY_REDIS_URL; settings: docs/settings.md; running it:
# docs/deploy.md.
ARG NODE_IMAGE=node:26-bookworm-slim

# Build stage: every dependency (TypeScript, the Prisma CLI for `prisma generate`), then compile
# with decorator metadata (Nest needs it; tsx would not emit it).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY apps/cli/package.json apps/cli/package.json
COPY libs/sdk/package.json libs/sdk/package.json
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY apps ./apps
RUN npm run build:worker

# Runtime stage: production dependencies only. prisma/schema.prisma is absent here, so the root
# postinstall skips `prisma generate`: the generated client is compiled into dist/ already.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cli/package.json apps/cli/package.json
COPY libs/sdk/package.json libs/sdk/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/worker ./dist/apps/worker
USER node
# Kubernetes sends SIGTERM, waits terminationGracePeriodSeconds, then SIGKILL: the worker finishes
# its jobs in progress on SIGTERM, at most NETPLAY_SHUTDOWN_TIMEOUT_MS (docs/deploy.md).
STOPSIGNAL SIGTERM
ENV NETPLAY_WORKER_METRICS_PORT=9464
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.NETPLAY_WORKER_METRICS_PORT+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/worker/apps/worker/src/main.js"]
