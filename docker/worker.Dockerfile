# The scenario worker: docker build -f docker/worker.Dockerfile -t netplay-worker .
# Needs DATABASE_URL and REDIS_URL; see docker/compose.yaml and docs/architecture.md.
# Build stage: every dependency (TypeScript, the Prisma CLI for `prisma generate`), then compile
# with decorator metadata (Nest needs it; tsx would not emit it).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY apps/cli/package.json apps/cli/package.json
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY apps ./apps
RUN npm run build:worker

# Runtime stage: production dependencies only. prisma/schema.prisma is absent here, so the root
# postinstall skips `prisma generate`: the generated client is compiled into dist/ already.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cli/package.json apps/cli/package.json
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist/apps/worker ./dist/apps/worker
USER node
# Kubernetes sends SIGTERM, waits terminationGracePeriodSeconds, then SIGKILL: the worker finishes
# its jobs in progress on SIGTERM (docs/architecture.md).
STOPSIGNAL SIGTERM
EXPOSE 9464
ENV WORKER_METRICS_PORT=9464
CMD ["node", "dist/apps/worker/apps/worker/src/main.js"]
