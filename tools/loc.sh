#!/usr/bin/env bash
# The command line's share of the hand-written C# under src/ (generated *.g.cs files and build output excluded).
# The CLI should parse options, call one library flow and print; the goal is 20% or less.
set -euo pipefail
cd "$(dirname "$0")/.."
count() { find "$@" -path '*/obj' -prune -o -path '*/bin' -prune -o -name '*.cs' ! -name '*.g.cs' -print0 | xargs -0 cat | wc -l; }
cli=$(count src/KeyVault.Cli)
all=$(count src)
for project in src/*/; do printf '%-22s %6d lines\n' "$(basename "$project")" "$(count "$project")"; done
printf 'command line: %d of %d lines = %d.%d%%\n' "$cli" "$all" $((100 * cli / all)) $((1000 * cli / all % 10))
