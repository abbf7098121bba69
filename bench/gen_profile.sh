#!/usr/bin/env bash
# Writes a profile of N checks (cpu checks, each needing the one before, so
# the needs graph is one long chain) to stdout. Used by bench/validate_scale.sh
# and the CTest bound on loading (tests/CMakeLists.txt).
# Usage: bench/gen_profile.sh N
set -euo pipefail
n=${1:?usage: gen_profile.sh N}
awk -v n="$n" 'BEGIN {
  print "format: 1"
  print "name: generated"
  print "vars: { cpus: 1 }"
  print "checks:"
  for (i = 0; i < n; i++) {
    printf "  - id: c%d\n    title: check ${cpus} number %d\n    probe: cpu\n    with: { min: \"${cpus}\" }\n", i, i
    if (i > 0) printf "    needs: [c%d]\n", i - 1
  }
}'
