# The HTTP API (REST /v1, GraphQL /graphql): docker build -f docker/api.Dockerfile -t netplay-api .
# With DATABASE_URL and REDIS_URL it runs as in production (migrates on start, runs go to the
# workers); without them it runs embedded. See docker/compose.yaml and docs/architecture.md.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY apps/cli/package.json apps/cli/package.json
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY apps ./apps
# The playground page bundles the shipped examples (examples/manifests) and the engine.
COPY examples ./examples
RUN npm run build:web && npm run build:api

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/cli/package.json apps/cli/package.json
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist/apps/api ./dist/apps/api
# The playground page (docs/web.md), served at / by the API.
COPY --from=build /app/dist/apps/web ./dist/apps/web
# The API applies these on start (libs/db/src/migrate.ts); it finds the nearest prisma/migrations.
COPY prisma/migrations ./prisma/migrations
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
