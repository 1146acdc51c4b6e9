# Tributary: every target bootstraps first (idempotent: ~1 s when nothing changed).
#   make demo    deploy on a local anvil and simulate weeks of micro-payments (table + PNG)
#   make deploy  DEPLOY_ARGS="--network ... --account ..."   deploy / resume from deploy/<network>.yaml
#   make keeper  KEEPER_ARGS="--network ... --dry-run"        one keeper pass (allocate, report)
#   make income  INCOME_ARGS="--network ... --earner 0x..."   an earner's income statement
#   make recover RECOVER_ARGS="--network ... --account ... --from pool --token 0x... --amount ... --to 0x..."
#   make node    a local anvil on 127.0.0.1:8545 (Ctrl-C stops it)       make faucet FAUCET_ARGS="..."
#   make payments PAYMENTS_ARGS="--network ... --payer 0x... --format csv"   what a payer paid to whom
#   make abi     abi/<Contract>.json of the production contracts (commit them; a test checks they are fresh)
#   make test    the full test suite (unit, property, hostile) — what CI runs (.ci/run adds lint + typecheck)
#   make bench   gas and throughput benchmarks -> bench/results.json + README table
#   make bench-stateful   steps/s of the property-test driver (plain ape vs lean)
SHELL := /bin/bash
ROOT  := $(abspath .)
export SOLCX_BINARY_PATH := $(ROOT)/tools/solcx
export PATH := $(ROOT)/node_modules/@foundry-rs/anvil-linux-amd64/bin:$(ROOT)/.venv/bin:$(PATH)
APE := $(ROOT)/.venv/bin/ape

.PHONY: bootstrap compile abi payments test test-deep demo deploy keeper income account recover faucet node \
	bench bench-stateful lint typecheck slither clean

bootstrap:
	@tools/bootstrap.sh

# -v WARNING: ape lists every source it compiles (~70 with the test mocks) at INFO; errors still show.
# ape copies the dependencies' sources (OpenZeppelin 423 files, Solady 107) into contracts/.cache to compile
# them and may leave them there; ape then lists a project's sources with a 500-file cap that those copies
# exhaust, so our own test contracts vanish from `project` (a fresh clone's tests fail with "no attribute
# MockToken"). The artifacts are in .build: the copies are not needed after the compile.
compile: bootstrap
	@$(APE) compile -v WARNING
	@rm -rf contracts/.cache

# abi/<Contract>.json of the production contracts from the compiled artifacts: run it and commit the files
# after changing a production contract (tests/scripts/test_abis.py fails on a stale file; compile does not
# rewrite them, so CI checks what was committed).
abi: compile
	@.venv/bin/python -m tributary.abis write

test: compile
	@$(APE) test tests -p no:cacheprovider $(PYTEST_ARGS)

# Nightly-style profile: many more hypothesis examples / stateful steps.
test-deep: compile
	@TRIBUTARY_PROFILE=deep $(APE) test tests -p no:cacheprovider $(PYTEST_ARGS)

demo: compile
	@$(APE) run demo $(DEMO_ARGS)

deploy: compile
	@$(APE) run deploy $(DEPLOY_ARGS)

keeper: compile
	@$(APE) run keeper $(KEEPER_ARGS)

income: compile
	@$(APE) run income $(INCOME_ARGS)

# a keyfile account without prompts: ACCOUNT_ARGS="--alias operator --key-env OPERATOR_KEY" (README "Own node")
account: bootstrap
	@$(APE) run account $(ACCOUNT_ARGS)

recover: compile
	@$(APE) run recover $(RECOVER_ARGS)

faucet: compile
	@$(APE) run faucet $(FAUCET_ARGS)

# A separately running dev node for the "Own node" path of the README (chain id 31337, funded dev keys).
NODE_ARGS ?= --host 127.0.0.1 --port 8545
node: bootstrap
	@anvil $(NODE_ARGS)

payments: compile
	@$(APE) run payments $(PAYMENTS_ARGS)

bench: compile
	@$(APE) run bench $(BENCH_ARGS)

# Steps/s of a stateful property-test step: plain ape vs the lean driver (bench/stateful_speed.py).
bench-stateful: compile
	@PYTHONPATH=$(ROOT) .venv/bin/python bench/stateful_speed.py $(BENCH_ARGS)

lint: bootstrap
	@.venv/bin/ruff check tributary scripts tests bench
	@.venv/bin/ruff format --check tributary scripts tests bench

# mypy (pinned) over the production Python: tributary/ and scripts/ (settings in pyproject.toml)
typecheck: bootstrap
	@.venv/bin/mypy

slither: compile
	@# slither's directory target is not recursive: one run per production folder
	@for d in contracts contracts/strategies; do .venv/bin/slither $$d --config-file slither.config.json || exit 1; done

clean:
	rm -rf .build contracts/.cache .bootstrap-stamp
