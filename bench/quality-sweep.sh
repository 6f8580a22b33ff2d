#!/usr/bin/env bash
# The quality protocol of issue 16 for the built-in network (no ImageNet weights installed): each
# published example pre-sized to SIZE, harmonized at its style level from style_levels.tsv, then
# scored against the authors' result with ../shared/tools/quality.py. Prints one line per example
# and the mean gain.
#
#   bench/quality-sweep.sh [G] [D] [ITERATIONS] [EXAMPLES] [SIZE]
#   defaults:              built-in built-in 200,200 "0 1 ... 9" 192
#
# G and D override the built-in gain and deep gain through -Dpainterly.builtinGain and
# -Dpainterly.builtinDeepGain (the tuning hooks; "-" keeps the built-in value);
# PAINTERLY_WEIGHTS is cleared so that the built-in network is used even where weights are set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
[ -d "$shared" ] || shared=/work/shared
gain="${1:--}"
deep="${2:--}"
iterations="${3:-200,200}"
examples="${4:-0 1 2 3 4 5 6 7 8 9}"
size="${5:-192}"
# The tools need Pillow and NumPy: the system Python has them where a virtual environment may not.
python="${PYTHON:-/usr/bin/python3}"
work="${TMPDIR:-/tmp}/painterly-quality-G$gain-D$deep-${iterations/,/-}-$size"
mkdir -p "$work/in" "$work/out"
opts="${PAINTERLY_JAVA_OPTS:--Xmx8g}"
[ "$gain" != - ] && opts="$opts -Dpainterly.builtinGain=$gain"
[ "$deep" != - ] && opts="$opts -Dpainterly.builtinDeepGain=$deep"
echo "G=$gain D=$deep (- = built-in) iterations=$iterations size=$size"
gains=()
for n in $examples; do
  "$python" "$shared/tools/presize.py" "$shared/examples" "$n" "$size" "$work/in" >/dev/null
  level="$(awk -v n="$n" '$1 == n {print $2}' "$shared/examples/style_levels.tsv")"
  start=$SECONDS
  env -u PAINTERLY_WEIGHTS XDG_DATA_HOME="$work/no-weights" PAINTERLY_JAVA_OPTS="$opts" "$root/painterly" harmonize \
    --painting "$work/in/${n}_target.png" --composite "$work/in/${n}_naive.png" \
    --mask "$work/in/${n}_c_mask.png" --loose-mask "$work/in/${n}_c_mask_dilated.png" \
    --size "$size" --iterations "$iterations" --style-level "$level" --overwrite --out "$work/out/$n.png" \
    >"$work/out/$n.log" 2>&1 || { echo "example $n failed: see $work/out/$n.log"; continue; }
  score="$("$python" "$shared/tools/quality.py" "$work/out/$n.png" "$shared/examples/${n}_final_res2.png" \
    "$work/in/${n}_naive.png" "$work/in/${n}_c_mask.png")"
  echo "example $n level=$level $score seconds=$((SECONDS - start))"
  gains+=("$(sed 's/.*gain=\([-0-9.]*\).*/\1/' <<<"$score")")
done
printf '%s\n' "${gains[@]}" | awk '{s += $1} END {if (NR) printf "mean gain=%.3f over %d examples\n", s / NR, NR}'
