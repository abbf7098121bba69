#!/usr/bin/env bash
# How long `bbcheck validate` takes on generated profiles of 10,000, 50,000
# and 100,000 checks (a needs chain through all of them). Loading must stay
# linear: 100,000 checks in at most 5 s on the reference machine, most of it
# yaml-cpp's parse. Not part of CTest (CTest only asserts a generous bound
# of CPU time); run by hand.
# Usage: bench/validate_scale.sh [BBCHECK]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bbcheck=${1:-$here/../build/release/bbcheck}
dir=$(mktemp -d /tmp/bbcheck-bench-scale.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for n in 10000 50000 100000; do
  "$here/gen_profile.sh" "$n" >"$dir/p$n.yaml"
  start=$(date +%s%N)
  "$bbcheck" validate "$dir/p$n.yaml" >/dev/null
  end=$(date +%s%N)
  awk -v n="$n" -v ns=$((end - start)) 'BEGIN { printf "validate %6d checks: %.2f s\n", n, ns / 1e9 }'
done
