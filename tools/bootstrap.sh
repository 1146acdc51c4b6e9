#!/usr/bin/env bash
# Idempotent set-up of everything Tributary needs, from the package registries only:
#   .venv (requirements.lock + this package), node_modules (package-lock.json: solcjs, anvil, OZ),
#   the offline solc shim, and a first compile. A second run with unchanged lock files takes ~1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Tributary needs Python 3.11, found %s" % sys.version.split()[0]'
node -e 'const m = +process.versions.node.split(".")[0]; if (m < 20) { console.error("Tributary needs Node >= 20, found " + process.version); process.exit(1); }'

stamp=.bootstrap-stamp
want=$(cat requirements.lock pyproject.toml package-lock.json tools/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/ape ] && [ -d node_modules/solc ]; then
  exit 0
fi

echo ">> bootstrap: python virtualenv"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip==26.3"
.venv/bin/python -m pip install -q -r requirements.lock
# setuptools prints a generic 12-line "Editable installation" notice on every editable build (nothing about
# this project; the real warning, the license table, is fixed in pyproject.toml): keep the bootstrap quiet.
PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q --no-deps -e .

echo ">> bootstrap: npm ci (solc $(node -p 'require("./package.json").dependencies.solc'), anvil, OpenZeppelin)"
npm ci --no-audit --no-fund --loglevel=error

chmod +x tools/solcx/solc-v* tools/solc-shim.js
echo "$want" > "$stamp"
echo ">> bootstrap: done"
