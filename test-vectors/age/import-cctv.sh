#!/usr/bin/env bash
# Re-imports the CCTV age vectors from the npm package cctv-age into testdata/ (run from anywhere; needs npm, node).
# The package embeds each vector file as base64 in index.js, preceded by a "// ../testdata/NAME" comment; this
# writes every one back to testdata/NAME byte for byte.
set -euo pipefail
version="${1:-0.2.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cctv-age@$version" >/dev/null && tar xzf "cctv-age-$version.tgz")
rm -rf "$here/testdata" && mkdir "$here/testdata"
node --input-type=module - "$work/package/index.js" "$here/testdata" <<'JS'
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';
const [index, out] = process.argv.slice(2);
const vectors = await import(pathToFileURL(index));
const source = fs.readFileSync(index, 'utf8');
const names = [...source.matchAll(/^\/\/ \.\.\/testdata\/(.+)\nvar (\w+)_default = /gm)];
for (const [, file, ident] of names) fs.writeFileSync(path.join(out, file), vectors[ident]);
console.log(`${names.length} vectors written`);
JS
