#!/usr/bin/env bash
# How long `bbcheck show` and `bbcheck diff` take on generated reports of
# 10,000 and 40,000 checks, and on one with a 1 MB check id. Rendering must
# be linear in its input: text about as fast as JSON (before the fix, text
# of 40,000 checks took 35 s against 3.7 s for JSON, and a 1 MB id ran out
# of memory). Not part of CTest (unit tests bound sizes, never times); run by
# hand. Usage: bench/render_scale.sh [BBCHECK]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bbcheck=$(realpath "${1:-$here/../build/release/bbcheck}")
dir=$(mktemp -d /tmp/bbcheck-bench-render.XXXXXX)
trap 'rm -rf "$dir"' EXIT
profile="$here/../tests/profiles/good/cpu.yaml"
"$bbcheck" -p "$profile" --format json >"$dir/base.json"
# N passing checks, each in a group of its own, plus one failing check whose
# id is HUGE bytes long (0: an ordinary id).
generate() {
  python3 - "$dir/base.json" "$1" "$2" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
n, huge = int(sys.argv[2]), int(sys.argv[3])
template = base["checks"][0]
checks = []
for i in range(n):
    c = dict(template, id=f"group{i}.check", status="pass", message=f"check {i} fine")
    c.pop("fix", None); c.pop("docs", None)
    checks.append(c)
bad = dict(template, id="huge." + "a" * huge if huge else "last.check", status="fail",
           message="does not hold", severity="recommended")
checks.append(bad)
base["checks"] = checks
base["summary"] = {"pass": n, "fail": 1, "error": 0, "blocked": 0, "skip": 0, "total": n + 1}
base["verdict"] = "ready"
base["fail_on"] = "required"
json.dump(base, sys.stdout)
PY
}
timed() {
  local what=$1
  shift
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null || true
  end=$(date +%s%N)
  awk -v what="$what" -v ns=$((end - start)) 'BEGIN { printf "%-40s %6.2f s\n", what, ns / 1e9 }'
}
for n in 10000 40000; do
  generate "$n" 0 >"$dir/r$n.json"
  timed "show json, $n checks" "$bbcheck" show "$dir/r$n.json" --format json
  timed "show text, $n checks" "$bbcheck" show "$dir/r$n.json"
  timed "show -v text, $n checks" "$bbcheck" show "$dir/r$n.json" -v
  timed "diff, $n checks" "$bbcheck" diff "$dir/base.json" "$dir/r$n.json"
done
generate 1000 1048576 >"$dir/huge.json"
timed "show text, 1 MB id" "$bbcheck" show "$dir/huge.json"
timed "show -v text, 1 MB id" "$bbcheck" show "$dir/huge.json" -v
timed "diff, 1 MB id" "$bbcheck" diff "$dir/base.json" "$dir/huge.json"
