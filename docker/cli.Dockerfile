# The netplay CLI in a container: docker build -f docker/cli.Dockerfile -t netplay-cli .
# then: docker run --rm -v "$PWD:/work" netplay-cli run /work/examples/website.yaml
# The image holds what `npm pack -w apps/cli` publishes: the launcher and one bundled file, run by
# Node.js alone (esbuild and the TypeScript sources stay in the build stage).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json ./
COPY apps/cli/package.json apps/cli/package.json
COPY libs/sdk/package.json libs/sdk/package.json
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY apps/cli ./apps/cli
RUN npm run build:cli

FROM node:26-bookworm-slim
WORKDIR /app
COPY --from=build /app/apps/cli/package.json ./package.json
COPY --from=build /app/apps/cli/bin ./bin
COPY --from=build /app/apps/cli/dist ./dist
USER node
ENTRYPOINT ["node", "bin/netplay.js"]
