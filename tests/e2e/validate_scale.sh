#!/usr/bin/env bash
# Loading is linear: `bbcheck validate` on 100,000 checks chained by needs
# finishes within a generous bound (it took 56 s when quadratic, and the
# recursive needs check overflowed the stack at 35,000). The real figure is
# measured by bench/validate_scale.sh.
# Usage: validate_scale.sh BBCHECK SOURCE_DIR SECONDS
set -euo pipefail
bbcheck=$1 src=$2 bound=$3
dir=$(mktemp -d "/tmp/bbcheck-scale-$$.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$src/bench/gen_profile.sh" 100000 >"$dir/p.yaml"
start=$SECONDS
if ! timeout "$bound" "$bbcheck" validate "$dir/p.yaml" >"$dir/out" 2>&1; then
  echo "validate of 100,000 checks failed or took over ${bound}s:"; head -c 2000 "$dir/out"; exit 1
fi
echo "validate of 100,000 checks: $((SECONDS - start))s (bound ${bound}s)"
