# pharmacrm: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
CARGO ?= cargo
DEMO_DB ?= pharmacrm-demo.db
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_SCALE ?= default

.PHONY: demo build web web-deps test test-rust lint-rust test-web lint-web test-e2e check-api fuzz-api api-types bench clean

## demo: build everything, create the demo dataset in $(DEMO_DB) (first run), serve on $(DEMO_LISTEN)
demo: build
	./target/release/pharmacrm demo --database-url sqlite://$(DEMO_DB) --listen $(DEMO_LISTEN) --scale $(DEMO_SCALE)

## build: the web UI, then the release binary that embeds it
build: web
	$(CARGO) build --release -p pharmacrm

web-deps: web/node_modules/.installed

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

## web: build the web UI into web/dist (embedded by the server at compile time)
web: web-deps
	cd web && npm run build

## test: every test — Rust on SQLite and PostgreSQL, API types up to date, the API fuzzed on both, web lint and unit tests, browser end-to-end on both
test: web
	$(CARGO) build -p pharmacrm
	$(MAKE) lint-rust test-rust check-api fuzz-api lint-web test-web test-e2e

test-rust:
	$(CARGO) test --workspace

test-web: web-deps
	cd web && npm test

## lint-rust: rustfmt's check (rustfmt.toml) and clippy with every warning an error (clippy.toml)
lint-rust:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## lint-web: ESLint and Prettier's check of web/ (`cd web && npm run format` fixes the formatting)
lint-web: web-deps
	cd web && npm run lint

test-e2e: web-deps
	cd web && PHARMACRM_BIN=$(CURDIR)/target/debug/pharmacrm npm run e2e
	@echo "browser tests again with the server on PostgreSQL:"
	cd web && E2E_DATABASE=postgres PHARMACRM_BIN=$(CURDIR)/target/debug/pharmacrm node --test e2e/roles.test.mjs e2e/offline.test.mjs e2e/targeting.test.mjs e2e/realignment.test.mjs e2e/alignment.test.mjs e2e/sample-compliance.test.mjs e2e/samples.test.mjs e2e/stewardship.test.mjs e2e/stewardship-field.test.mjs

## check-api: fail when web/src/api/schema.d.ts is not what the server's OpenAPI document generates
check-api: web-deps
	@tmp=$$(mktemp -d); \
	./target/debug/pharmacrm openapi > $$tmp/openapi.json && \
	(cd web && npx openapi-typescript $$tmp/openapi.json -o $$tmp/schema.d.ts >/dev/null) && \
	if diff -q $$tmp/schema.d.ts web/src/api/schema.d.ts >/dev/null; then echo "API types are current"; \
	else echo "web/src/api/schema.d.ts is stale: run 'make api-types'"; diff -u web/src/api/schema.d.ts $$tmp/schema.d.ts | head -40; exit 1; fi

## fuzz-api: schemathesis over the OpenAPI document against a demo on SQLite and PostgreSQL, as a rep and an admin: no 5xx, every response as documented
fuzz-api:
	PHARMACRM_BIN=$(CURDIR)/target/debug/pharmacrm tools/api-fuzz

## api-types: regenerate the web client's types from the OpenAPI document
api-types:
	$(CARGO) build -p pharmacrm
	cd web && PHARMACRM_BIN=$(CURDIR)/target/debug/pharmacrm npm run gen:api

## bench: list/search at 1,000,000 HCPs on SQLite and PostgreSQL, sync pulls and pushes (and what durable commits cost), the push property test at 2,000 cases, the field app in Chromium
bench: web
	$(CARGO) run --release -p pharmacrm-bench -- --out docs/benchmarks.md
	@echo "the sync push property test with 2,000 cases per backend:"
	CI=true PUSH_PROPERTY_CASES=2000 $(CARGO) test --release -p pharmacrm-server --test push_properties
	$(CARGO) build -p pharmacrm
	cd web && PHARMACRM_BIN=$(CURDIR)/target/debug/pharmacrm npm run bench

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules
