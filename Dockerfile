# syntax=docker/dockerfile:1
# Shortline: one image for both Knative modes. As the queue-proxy (queue-sidecar-image) Knative runs
# it with no arguments and its env contract, and `serve` finds sidecar mode by itself; the gateway
# Deployment runs `serve` with its ConfigMap. Build: docker build -t shortline .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages/core/package.json packages/core/
COPY packages/proxy/package.json packages/proxy/
COPY packages/knative/package.json packages/knative/
COPY packages/sim/package.json packages/sim/
COPY packages/samples/package.json packages/samples/
COPY packages/cli/package.json packages/cli/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY packages packages
COPY config config
RUN npx tsc -b packages/cli \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf packages/*/src packages/*/test packages/*/tsconfig.json packages/*/dist/.tsbuildinfo \
 && find packages -name '*.map' -delete

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Only what runs: production dependencies (workspace links included), compiled packages, the
# embedded default configuration.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY --from=build /app/config config
# Knative runs the queue-proxy as a non-root numeric user on a read-only root filesystem; so does
# the gateway Deployment. Nothing here writes to the image.
USER 65532:65532
EXPOSE 8012 8013 8022 9090 9091
ENTRYPOINT ["node", "/app/packages/cli/bin/shortline.js"]
CMD ["serve"]
