# The cpflow image (used by docker-compose.yml): `npm start` (worker + web service) or `npm run worker`, against
# TEMPORAL_ADDRESS. The base image is pinned to an exact Node release; change it deliberately.

# Build stage: every dependency, so the CLI can be compiled (`npm run build`, TypeScript is a dev dependency).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No lifecycle scripts yet: `prepare` builds the CLI from sources that are copied only below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts && npm cache clean --force

# Runtime stage: runtime dependencies (tsx among them runs the worker's TypeScript sources), the sources and dist/.
FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# The data folder (a volume in docker-compose.yml), writable by the unprivileged user only.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
CMD ["npm", "start"]
