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
# The image runs the bundle (packages/cli/bundle/build.mjs): a handful of files with every dependency
# inside, each mode in a chunk of its own, so that a sidecar starts without reading the ~450 modules
# of node_modules or the gateway's Kubernetes client (bench/RESULTS.md, "Footprint").
RUN npx tsc -b packages/cli && node packages/cli/bundle/build.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# glibc's own default (128 KiB), fixed: set, it stops glibc from raising its trim threshold as large
# blocks are freed, so a thread's arena gives back what it no longer uses. Without it, the ~35 MB
# that a V8 worker thread's TurboFan compile of undici's HTTP parser (WebAssembly) takes on the first
# requests stayed 6-12 MB resident, start to start (bench/RESULTS.md, "Footprint"). An environment
# variable, not a Node flag: any V8 flag makes Node reject its built-in code cache (+~60 ms of start).
ENV MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
# Only what runs: the bundle, and the embedded default configuration at the path the bundle expects
# (config/ four levels above it, as above packages/proxy/dist/config/). `shortline demo` forks the
# sample servers from a checkout's dist/, so it is not in the image; `serve` and `simulate` are.
COPY --from=build /app/packages/cli/dist/bundle packages/cli/dist/bundle
COPY --from=build /app/config config
# Knative runs the queue-proxy as a non-root numeric user on a read-only root filesystem; so does
# the gateway Deployment. Nothing here writes to the image.
USER 65532:65532
EXPOSE 8012 8013 8022 9090 9091
ENTRYPOINT ["node", "/app/packages/cli/dist/bundle/shortline.mjs"]
CMD ["serve"]
