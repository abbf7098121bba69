#!/usr/bin/env bash
# Loading is linear: `bbcheck validate` on 100,000 checks chained by needs
# uses at most a generous bound of CPU time (it took 56 s when quadratic,
# and the recursive needs check overflowed the stack at 35,000). CPU time,
# not wall time, so that a busy machine does not fail it. The real figure
# is measured by bench/validate_scale.sh.
# Usage: validate_scale.sh BBCHECK SOURCE_DIR SECONDS
set -euo pipefail
bbcheck=$1 src=$2 bound=$3
dir=$(mktemp -d "/tmp/bbcheck-scale-$$.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$src/bench/gen_profile.sh" 100000 >"$dir/p.yaml"
TIMEFORMAT='%U %S'
if ! { time timeout 600 "$bbcheck" validate "$dir/p.yaml" >"$dir/out" 2>&1; } 2>"$dir/time"; then
  echo "validate of 100,000 checks failed:"; head -c 2000 "$dir/out"; exit 1
fi
cpu=$(awk '{ printf "%d", $1 + $2 + 0.5 }' "$dir/time")
echo "validate of 100,000 checks: ${cpu}s of CPU (bound ${bound}s)"
[ "$cpu" -le "$bound" ]
