# Akili Portal: the two commands a newcomer needs, plus benchmarks.
#   make dev                 run the portal on embedded defaults (http://localhost:3000)
#   make test                type check, lint, unit/integration and end-to-end tests
#   make bench [NAME=<name>] run bench/<name> (or every benchmark)
#   make openapi             regenerate the backend plugins' routers from their OpenAPI specs
SHELL := /usr/bin/env bash

.PHONY: dev test e2e bench install openapi
dev:
	@bash scripts/dev.sh

test:
	@bash scripts/test.sh

e2e:
	@bash scripts/test.sh --only e2e

bench:
	@bash scripts/bench.sh $(NAME)

install:
	@bash -c 'source scripts/toolchain.sh && akili_ensure_deps'

openapi:
	@bash -c 'source scripts/toolchain.sh && akili_ensure_deps && node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs scripts/openapi/generate.ts'
