#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A deterministic libFuzzer check: every harness for a fixed number of runs
# from its seed corpus with a fixed seed, under the sanitizers the fuzz
# build was configured with (docs/reliability.md, "A fixed run"). Any
# crash, invariant violation, leak or input over the time bound fails it.
#
#   tools/fuzz/run-fixed.sh BUILD-FUZZ-DIR
#
# The corpus grows in a temporary directory; the tree is not touched.
set -euo pipefail
build=${1:?usage: run-fixed.sh BUILD-FUZZ-DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# harness  runs  dictionary  seed directories (relative to the root)
harnesses=(
	"fixture 4000 yaml.dict fixtures/platforms fixtures/bad tools/fuzz/corpus/fixture"
	"dmesg 8000 dmesg.dict fixtures/logs tools/fuzz/corpus/dmesg"
	"layout 2000 yaml.dict fixtures/layouts tools/fuzz/corpus/layout"
	"mmio-batch 20000 yaml.dict tools/fuzz/corpus/mmio-batch"
	"scenario 8000 yaml.dict fixtures/scenarios fixtures/bad-scenarios tools/fuzz/corpus/scenario"
	"sys-config 20000 - tools/fuzz/corpus/sys-config"
	"mtrr 2000 - tools/fuzz/corpus/mtrr"
	"mmio 20000 - tools/fuzz/corpus/mmio"
)
for h in "${harnesses[@]}"; do
	read -r name runs dict dirs <<<"$h"
	seeds=()
	for d in $dirs; do seeds+=("$root/$d"); done
	args=(-runs="$runs" -seed=1 -max_len=16384 -timeout=30 -print_final_stats=0)
	[ "$dict" != - ] && args+=(-dict="$root/tools/fuzz/$dict")
	mkdir -p "$work/$name"
	start=$(date +%s)
	(cd "$work" && "$build/tools/fuzz/fuzz-$name" "${args[@]}" "$work/$name" "${seeds[@]}" \
		>"$work/$name.log" 2>&1) || { tail -n 40 "$work/$name.log"; echo "fuzz-$name: FAILED"; exit 1; }
	echo "fuzz-$name: $runs runs, $(( $(date +%s) - start )) s, $(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -1)"
done
