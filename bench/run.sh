#!/usr/bin/env bash
# Runs the whole benchmark suite and writes BENCHMARKS.md (issue 7): release build, generated
# studies (600 docs / 20k decisions; 5,000 docs / 200k decisions), the criterion benches with
# their own percentile loops, peak memory of a session start, CLI timings, PDF import against
# pdftotext + import (bench/pdf.sh, issue 14), and polcode side by side with Python jieba and
# krippendorff in a throwaway virtual environment.
# Heavy work runs under `nice` (the machine is shared). Needs ../shared/corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CORPUS="${POLCODE_CORPUS:-$ROOT/../shared/corpus}"
[ -d "$CORPUS/docs" ] || { echo "bench/run.sh: $CORPUS/docs not found" >&2; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA="$CARGO_TARGET_DIR/bench-data"
RES="$DATA/results"
rm -rf "$RES"; mkdir -p "$RES"
export POLCODE_BENCH_DATA="$DATA" POLCODE_BENCH_OUT="$RES/results.jsonl"
T0=$(date +%s)
cat /proc/loadavg > "$RES/loadavg-start.txt"
log() { echo "[$(( $(date +%s) - T0 ))s] $*" >&2; }

log "release build"
nice cargo build --release -q
nice cargo bench -p polcode-benches --no-run -q 2> "$RES/bench-build.txt" || { cat "$RES/bench-build.txt"; exit 1; }
PC="$CARGO_TARGET_DIR/release/polcode"
# The dev-only generator (crates/benchdata); `cargo build --release` above builds it too.
BD="$CARGO_TARGET_DIR/release/polcode-benchdata"
TUI_BIN=$(ls -t "$CARGO_TARGET_DIR"/release/deps/tui-* | grep -v '\.d$' | head -1)

gen() { # NAME ARGS...: generate a study once (same seed as crates/benches/benches/common)
  local name=$1; shift
  if [ ! -f "$DATA/$name/polcode.yaml" ]; then
    log "generating $name"
    rm -rf "$DATA/$name"
    /usr/bin/time -f '%e' -o "$RES/gen-$name.time" nice "$BD" --corpus "$CORPUS" --seed 1 "$@" "$DATA/$name" | tee "$RES/gen-$name.txt"
  fi
}
gen s600 --docs 600 --decisions 20000 --coders 1
gen s5000 --docs 5000 --decisions 200000 --coders 2 --solo

log "cargo bench: tui"
nice cargo bench -q -p polcode-benches --bench tui 2>&1 | tee "$RES/bench-tui.txt" >/dev/null
log "cargo bench: store"
nice cargo bench -q -p polcode-benches --bench store 2>&1 | tee "$RES/bench-store.txt" >/dev/null
log "cargo bench: suggest"
nice cargo bench -q -p polcode-benches --bench suggest 2>&1 | tee "$RES/bench-suggest.txt" >/dev/null

log "peak memory of a session start (600 docs / 20k decisions, learner included)"
for i in 1 2 3; do
  /usr/bin/time -v "$TUI_BIN" --startup-once "$DATA/s600" > "$RES/startup-once-$i.txt" 2> "$RES/startup-mem-$i.txt"
done

TMP="$DATA/tmp"; rm -rf "$TMP"; mkdir -p "$TMP"
log "peak memory of a real session: polcode code in tmux at 120x40 (600 docs / 20k decisions)"
for i in 1 2 3; do
  rm -rf "$TMP/mem"; cp -r "$DATA/s600" "$TMP/mem"
  TM="tmux -L polcode-bench"
  $TM kill-server 2>/dev/null || true
  $TM new-session -d -x 120 -y 40 "/usr/bin/time -v -o '$RES/code-mem-$i.txt' '$PC' --study '$TMP/mem' code --coder c1"
  for _ in $(seq 200); do $TM capture-pane -p 2>/dev/null | grep -q "decisions saved" && break; sleep 0.1; done
  sleep 3                       # the learner thread (jieba + 20k decisions) is ready well before
  $TM send-keys j j j j j; sleep 0.5   # next paragraphs, suggestions with the learner
  $TM send-keys 1; sleep 0.5    # code one (journal record)
  $TM send-keys q               # quit: the snapshot is rewritten with everything in memory
  for _ in $(seq 100); do $TM has-session 2>/dev/null || break; sleep 0.1; done
  $TM kill-server 2>/dev/null || true
done

cat /proc/loadavg > "$RES/loadavg-before-cli.txt"
log "CLI timings"
TIMEIT="python3 bench/python/timeit.py"
$TIMEIT 3 -- "$PC" --study "$DATA/s5000" stats > "$RES/cli-stats.json"
$TIMEIT 3 -- "$PC" --study "$DATA/s5000" stats --what tally > "$RES/cli-stats-tally.json"
$TIMEIT 5 --setup "rm -rf '$TMP/imp' && '$PC' init '$TMP/imp' >/dev/null" -- \
  "$PC" --study "$TMP/imp" import "$CORPUS/docs" --meta "$CORPUS/metadata.csv" > "$RES/cli-import.json"
du -sb "$CORPUS/docs" | cut -f1 > "$RES/corpus-bytes.txt"
if command -v perf >/dev/null; then
  prof() { # NAME CMD...: self time by symbol (no frame pointers, so no call graphs)
    local name=$1; shift
    log "profile: $name (perf)"
    perf record -q -F 499 -o "$TMP/perf.data" -- "$@" >/dev/null 2>&1 &&
      perf report -i "$TMP/perf.data" --stdio --no-children -F overhead,sym --percent-limit 1.5 2>/dev/null |
      grep '%' | sed -E 's/[[:space:]]+$//' | head -22 > "$RES/perf-$name.txt" || true
  }
  prof stats "$PC" --study "$DATA/s5000" stats
  prof agree "$PC" --study "$DATA/s5000" agree c1 c2
  prof next "$TUI_BIN" --next-loop "$DATA/s600" 3000
fi

log "PDF import (bench/pdf.sh)"
nice bash bench/pdf.sh "$RES" > /dev/null

log "side by side: python venv"
VENV="$TMP/venv"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r bench/python/requirements.txt
"$VENV/bin/pip" freeze > "$RES/pip-freeze.txt"
PY="$VENV/bin/python"

# Word frequency on the 41 real documents.
"$PC" init "$TMP/c41" >/dev/null
"$PC" --study "$TMP/c41" import "$CORPUS/docs" --meta "$CORPUS/metadata.csv" >/dev/null
$TIMEIT 5 -- "$PC" --study "$TMP/c41" freq > "$RES/freq-polcode.json"
$TIMEIT 3 -- "$PY" bench/python/freq.py "$CORPUS/docs" > "$RES/freq-python.json"
"$PC" --study "$TMP/c41" freq --top 20 > "$RES/freq-polcode-top.txt"
"$PY" bench/python/freq.py "$CORPUS/docs" 20 > "$RES/freq-python-top.txt" 2> "$RES/freq-python-breakdown.json"

# Text search on the same 41 documents, next to grep over the same files: the whole command
# (open the study, search every body paragraph, print keyword-in-context lines), and the counts.
$TIMEIT 5 -- "$PC" --study "$TMP/c41" search 区块链 > "$RES/search-polcode.json"
$TIMEIT 5 -- "$PC" --study "$TMP/c41" search 区块链 --by province > "$RES/search-by-polcode.json"
$TIMEIT 5 -- grep -c -r 区块链 "$CORPUS/docs" > "$RES/search-grep.json"
{ "$PC" --study "$TMP/c41" search 区块链 --all -f json | python3 -c 'import json,sys; r=json.load(sys.stdin)["rows"]; print(len(r), len({x["paragraph"] for x in r}), len({x["document"] for x in r}))'
  grep -o -r 区块链 "$CORPUS/docs" | wc -l
  grep -c -r 区块链 "$CORPUS/docs" | awk -F: '$2 > 0 {n++; s += $2} END {print s, n}'
} > "$RES/search-counts.txt"

# Agreement on 200k ratings (2 coders x 100k paragraphs).
"$BD" --study "$DATA/s5000" --ratings "$RES/ratings.txt" >/dev/null
$TIMEIT 3 -- "$PC" --study "$DATA/s5000" agree c1 c2 -f json > "$RES/agree-polcode.json"
"$PC" --study "$DATA/s5000" agree c1 c2 -f json > "$RES/agree-polcode-out.json"
$TIMEIT 3 -- "$PY" bench/python/agree.py "$RES/ratings.txt" > "$RES/agree-python.json"
"$PY" bench/python/agree.py "$RES/ratings.txt" > "$RES/agree-python-out.json"
rm -f "$RES/ratings.txt"

log "writing BENCHMARKS.md"
python3 bench/python/report.py "$RES" "$CARGO_TARGET_DIR/criterion" > BENCHMARKS.md.new
mv BENCHMARKS.md.new BENCHMARKS.md
rm -rf "$TMP"
log "done"
