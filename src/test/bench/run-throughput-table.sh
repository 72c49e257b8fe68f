#!/bin/sh
# The README's throughput table, from one run: every user path through `streamgrad bench` (which runs
# the job spec through the same runner as `streamgrad run`), one after the other on this machine,
# then one Markdown table. Run from the repository root:
#   sh src/test/bench/run-throughput-table.sh [RECORDS]      (default 1000000 records per run)
# Needs about 15 GB of free disk in $TMPDIR for the files (1M float64 records are 12 GB) and, for
# the tutorial loop and the Python-written file, Debian's python3-numpy python3-scipy python3-torch
# python3-avro. The Kafka row comes from src/test/bench/run-kafka-bench.sh (a broker of its own).
set -eu
cd "$(dirname "$0")/../../.."
records=${1:-1000000}
sg=./streamgrad
out=$(mktemp -d "${TMPDIR:-/tmp}/streamgrad-table.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
rows="$out/rows"
: >"$rows"

# bench ARGS...: one row (its label is the first argument), the medians parsed from bench's output
bench() {
  label=$1
  shift
  echo "== $label: streamgrad bench $*" >&2
  log="$out/log"
  "$sg" bench "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  cat "$log" >&2
  fresh=$(sed -n 's/.*fresh JVM, as `run`): [0-9,]* records in [0-9.]* s = \([0-9,]*\) records\/s.*/\1/p' "$log")
  median=$(sed -n 's/^median of [0-9]*: \([0-9,]*\) records\/s whole job, \([0-9,]*\) records\/s steady; CPU \([0-9.]*\) us\/record; GC \([0-9.]*\)%.*/\1|\2|\3|\4/p' "$log")
  shown=$(echo "$*" | sed "s|$out/|DIR/|g")
  echo "$label|\`streamgrad bench $shown\`|$fresh|$median" >>"$rows"
  sed -n 's/^tutorial loop (PyTorch + scipy, same machine, now): \([0-9,]*\) records\/s/\1/p' "$log" >>"$out/tutorial"
}

start=$(date -u '+%Y-%m-%d %H:%M UTC')
load0=$(cut -d' ' -f1-3 /proc/loadavg)
bench "generator (the main job's spec), float32" --records "$records"
bench "generator, float64" --records "$records" --dtype float64 --python none
bench "generator, float32, parallelism 1" --records "$records" --parallelism 1 --python none
bench "avro-file, 1 file (Java DataFileWriter defaults), float32" --source avro-file --records "$records" --python none
bench "avro-file, 1 file, float64" --source avro-file --records "$records" --dtype float64 --python none
bench "avro-file, 2 files, float32" --source avro-file --files 2 --records "$records" --python none
bench "avro-file, 2 files, float32, parallelism 1" --source avro-file --files 2 --records "$records" --parallelism 1 \
  --python none
# the files users make: `streamgrad generate`, and the same records rewritten by Python's avro
"$sg" generate --out "$out/generate" --labeled "$records" --unlabeled 0 --keys alpha,beta --seed 42 \
  --true-filter-seed 7 --dtype float32 >&2
bench "avro-file, a file from \`streamgrad generate\`, float32" --source avro-file \
  --input "$out/generate" --python none
if /usr/bin/python3 -c 'import avro' 2>/dev/null; then
  /usr/bin/python3 src/test/python/rewrite_with_python_avro.py "$out/generate/labeled.avro" "$out/python" >&2
  rm -rf "$out/generate"
  bench "avro-file, a file from Python's avro (its defaults), float32" --source avro-file --input "$out/python" \
    --python none
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "$start, $(nproc) cores, load average $load0 at the start and $load1 at the end; $records records per run."
echo "Whole job: the median of 3 runs after a warm-up run; the first run in a fresh JVM is what \`streamgrad run\`"
echo "gets. Steady: between 20% and 90% of the input. Tutorial loop (PyTorch + scipy, float32): $(head -n 1 "$out/tutorial" 2>/dev/null || echo n/a) records/s."
echo
echo "DIR/generate: \`streamgrad generate --out DIR/generate --labeled $records --unlabeled 0 --keys alpha,beta --seed 42 --true-filter-seed 7 --dtype float32\`;"
echo "DIR/python: \`/usr/bin/python3 src/test/python/rewrite_with_python_avro.py DIR/generate/labeled.avro DIR/python\`."
echo
echo "| path | command | first run (fresh JVM) | whole job | steady | CPU per record | GC |"
echo "|---|---|---|---|---|---|---|"
while IFS='|' read -r label cmd fresh whole steady cpu gc; do
  echo "| $label | $cmd | $fresh/s | **$whole/s** | $steady/s | $cpu us | $gc% |"
done <"$rows"
