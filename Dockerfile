# The cpflow worker image (used by docker-compose.yml). Runs `npm start` against TEMPORAL_ADDRESS.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Runtime dependencies only: tsx (a dependency) runs the TypeScript sources directly.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
# The worker's sent log lives in /data (a volume in docker-compose.yml), writable by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["npm", "start"]
