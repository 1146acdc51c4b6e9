#!/usr/bin/env node
// Offline solc: answers like the native `solc` binary for the two calls ape-solidity / py-solc-x /
// slither make (`--version` and `--standard-json [--base-path X] [--include-path Y] [--allow-paths Z]`),
// backed by the wasm build from the npm package `solc`, pinned in package.json. No download, ever.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require(path.join(__dirname, "..", "node_modules", "solc"));

const args = process.argv.slice(2);

function version() {
  // Same shape as native solc, which py-solc-x parses with a regex on "Version: X.Y.Z".
  const v = solc.version().replace(".Emscripten.clang", ".Linux.g++");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${v}\n`);
}

function option(name) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) out.push(args[++i]);
    else if (args[i].startsWith(name + "=")) out.push(args[i].slice(name.length + 1));
  }
  return out;
}

function standardJson() {
  const basePath = option("--base-path")[0] || process.cwd();
  const roots = [basePath, ...option("--include-path"), process.cwd()];
  const resolver = (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.resolve(root, importPath));
    for (const file of candidates) {
      if (fs.existsSync(file) && fs.statSync(file).isFile()) {
        return { contents: fs.readFileSync(file, "utf8") };
      }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
  const input = fs.readFileSync(0, "utf8");
  process.stdout.write(solc.compile(input, { import: resolver }));
}

if (args.includes("--version")) version();
else if (args.includes("--standard-json")) standardJson();
else {
  process.stderr.write("solc shim: only --version and --standard-json are supported\n");
  process.exit(1);
}
