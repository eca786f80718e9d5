# The two commands a newcomer needs:
#   make demo   build everything and run the platform with the demo district on http://127.0.0.1:8080
#   make test   run the checks (make check), then every test (Rust unit and API tests on SQLite,
#               and PostgreSQL when YINGJI_TEST_PG_URL is set; browser tests in headless Chromium)

.PHONY: demo test check nextest web build-debug build-release bench clean-data

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

# The console is built first: the server embeds web/dist.
web: web/node_modules/.package-lock.json
	cd web && npm run build

build-release: web
	cargo build --release -p yingji

build-debug: web
	cargo build -p yingji

demo: build-release
	./target/release/yingji serve --demo

# A fresh machine lacks cargo-nextest: it is installed once (a few minutes to compile).
nextest:
	@command -v cargo-nextest >/dev/null 2>&1 || cargo install cargo-nextest --locked

# What a reviewer checks: formatting, clippy without warnings, the console's types and its lint.
# Clippy needs web/dist (the server embeds it), so the console is built first.
check: web
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd web && npm run typecheck && npm run lint

test: check build-debug nextest
	cargo nextest run --workspace --no-fail-fast
	cd web && npm run e2e

# City-scale latency figures (loads 100,000 demo enterprises into ./data/bench on first run).
bench: build-release
	./target/release/yingji --data-dir data/bench bench --requests 400 --concurrency 2

clean-data:
	rm -f data/yingji.db data/yingji.db-*
