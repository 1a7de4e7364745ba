# syntax=docker/dockerfile:1
#
# The Akili Portal image: the backend bundle (packages/backend) serving the built frontend
# (packages/app). Build from the repository root (the context is filtered by .dockerignore):
#
#   docker build -t akili-portal .
#
# The CI builds it with kaniko (.gitlab-ci.yml): plain Dockerfile syntax, no BuildKit-only
# features (RUN --mount).
#
# Stages:
#   toolchain  Node 22 + the build tools native modules need (better-sqlite3, node-gyp)
#   build      yarn install --immutable, yarn tsc, yarn build:backend
#              (`backstage-cli package build` on the backend builds its local dependencies
#              first, the bundled app included: backend depends on `app` through `link:../app`,
#              so the bundle carries packages/app/dist and no separate app build is needed)
#   deps       production dependencies only, installed from the bundle's skeleton + yarn.lock
#   runtime    node:22-bookworm-slim, user node (uid 1000), no build tools, no yarn; runs with a
#              read-only root filesystem (only /tmp must be writable: HOME and TMPDIR point there)
#
# Run (what k8s/base/deployment.yaml does):
#   node --require ./instrumentation.js packages/backend \
#     --config app-config.yaml --config app-config.production.yaml [--config <environment file>]
# Every ${VAR} of app-config.production.yaml must be set; see k8s/README.md for the list.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 g++ make ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the headers shipped in the image instead of downloading them.
ENV npm_config_nodedir=/usr/local \
    YARN_ENABLE_PROGRESS_BARS=false \
    YARN_ENABLE_TELEMETRY=false
WORKDIR /app
# The committed yarn release (packageManager yarn@4.13.0; .yarnrc.yml yarnPath points at it).
COPY .yarn/releases ./.yarn/releases
COPY .yarnrc.yml package.json yarn.lock backstage.json ./

# ---------------------------------------------------------------------------------------------
FROM toolchain AS build
# The frontend build (rspack) needs more heap than Node's default.
ENV NODE_OPTIONS=--max-old-space-size=4096
COPY . .
RUN node .yarn/releases/yarn-4.13.0.cjs install --immutable
RUN node .yarn/releases/yarn-4.13.0.cjs tsc \
 && node .yarn/releases/yarn-4.13.0.cjs build:backend \
 && test -f packages/backend/dist/bundle.tar.gz \
 && test -f packages/backend/dist/skeleton.tar.gz

# ---------------------------------------------------------------------------------------------
FROM toolchain AS deps
ENV NODE_ENV=production
# The skeleton holds the package.json of the backend and of each workspace package it depends on
# (devDependencies removed). The root package.json's devDependencies name workspaces that are
# not in the skeleton (test servers, the CLI): drop them, production needs none of them.
COPY --from=build /app/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz \
 && node -e "const fs=require('fs');const p=JSON.parse(fs.readFileSync('package.json','utf8'));delete p.devDependencies;fs.writeFileSync('package.json',JSON.stringify(p,null,2)+'\n')"
# Not --immutable: the lockfile's root entry changes with the devDependencies dropped above.
RUN YARN_ENABLE_IMMUTABLE_INSTALLS=false node .yarn/releases/yarn-4.13.0.cjs workspaces focus --all --production \
 && node .yarn/releases/yarn-4.13.0.cjs cache clean --all
COPY --from=build /app/packages/backend/dist/bundle.tar.gz ./
# The app build's index.html.tmpl lets plugin-app-backend inject the frontend config into the
# served HTML in memory; without it, it would rewrite a JS file (impossible on a read-only root).
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz \
 && test -f packages/backend/dist/index.cjs.js \
 && test -f packages/app/dist/index.html.tmpl

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# Read-only root filesystem: nothing below writes outside /tmp (an emptyDir in Kubernetes).
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp
WORKDIR /app
# Owned by root and not writable by the runtime user: the code cannot be changed at run time.
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/packages ./packages
COPY --from=deps /app/plugins ./plugins
COPY app-config.yaml app-config.production.yaml catalog-info.yaml ./
COPY catalog/apis.yaml ./catalog/apis.yaml
# OpenTelemetry: Prometheus exporter on :9464 (/metrics), loaded before the backend.
COPY packages/backend/instrumentation.js ./instrumentation.js
# TechDocs builds docs with MkDocs and the Material theme (techdocs.generator.runIn: local); the
# platform's own guide (catalog-info.yaml's dir:.) is mkdocs.yml and docs/.
RUN apt-get update \
 && apt-get install -y --no-install-recommends mkdocs mkdocs-material \
 && rm -rf /var/lib/apt/lists/*
COPY mkdocs.yml ./mkdocs.yml
COPY docs ./docs

USER 1000:1000
EXPOSE 7007 9464
# No curl in the image: Node's fetch against Backstage's readiness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--require", "./instrumentation.js", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
