# The netplay CLI in a container: docker build -f docker/cli.Dockerfile -t netplay-cli .
# then: docker run --rm -v "$PWD:/work" netplay-cli run /work/examples/website.yaml
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json ./
COPY apps/cli/package.json apps/cli/package.json
RUN npm ci --omit=dev --no-audit --no-fund
COPY libs ./libs
COPY apps ./apps
ENTRYPOINT ["node", "apps/cli/bin/netplay.js"]
