#!/usr/bin/env bash
# Reproduces the figures of EVALUATION.md: suggestion quality (`polcode eval`) against the
# hand-made reference codings, on the bundled demo study and on an 8-document sample of the
# real corpus in ../shared/corpus (imported into a scratch study that is deleted afterwards;
# the corpus texts never enter the repository).
#
# Usage: bench/eval.sh [OUT_DIR]
#   Prints the tables; with OUT_DIR also writes eval-{demo,corpus}.{txt,json} and
#   suggest-report-{demo,corpus}.txt there.
# Environment: POLCODE=path/to/polcode (default: builds with `cargo build`),
#   CORPUS=path/to/corpus (default: ../shared/corpus next to the repository root).
#
# It fails loudly (exit 1) when the reference codings no longer fit the imported paragraphs:
# a changed splitter or normaliser changes paragraph numbers or text hashes, and the figures
# would then be measured against codes that belong to other text.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
reference="$root/bench/reference/corpus-sample.yaml"
out="${1:-}"

die() {
    echo "bench/eval.sh: $*" >&2
    exit 1
}

[ -d "$corpus/docs" ] || die "no corpus at $corpus (set CORPUS=...)"
[ -f "$corpus/metadata.csv" ] || die "no $corpus/metadata.csv"

if [ -z "${POLCODE:-}" ]; then
    (cd "$root" && cargo build --quiet) || die "cargo build failed"
    POLCODE="${CARGO_TARGET_DIR:-$root/target}/debug/polcode"
fi
[ -x "$POLCODE" ] || die "polcode binary not found at $POLCODE"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/polcode-eval.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
[ -n "$out" ] && mkdir -p "$out"

# Every body paragraph of every document the reference codes must be coded: if the splitter
# now cuts a sampled document into more (or other) paragraphs, coverage drops below 100%.
verify() {
    local study="$1" name="$2"
    if ! "$POLCODE" --study "$study" check >"$scratch/check-$name.txt" 2>&1; then
        cat "$scratch/check-$name.txt" >&2
        die "$name: the reference codings do not match the imported paragraphs (see above); \
the splitter or normaliser changed — re-check the reference by hand before trusting any figure"
    fi
    "$POLCODE" --study "$study" docs --coder reference >"$scratch/docs-$name.txt"
    # Rows look like `... body  all  coded/body`; a sampled document has a non-zero coded count.
    awk -v name="$name" '
        $NF ~ /^[0-9]+\/[0-9]+$/ {
            split($NF, c, "/")
            if (c[1] > 0) { docs++; paras += c[2]; if (c[1] != c[2]) { bad = bad " " $1 } }
        }
        END {
            if (bad != "") { print name ": body paragraphs without a reference code in:" bad > "/dev/stderr"; exit 1 }
            printf "%s: reference covers %d body paragraphs in %d documents\n", name, paras, docs
        }' "$scratch/docs-$name.txt" || die "$name: reference coverage is incomplete (splitter changed?)"
}

run() {
    local study="$1" name="$2"
    echo
    echo "== $name: polcode eval --coder reference =="
    "$POLCODE" --study "$study" eval --coder reference | tee "$scratch/eval-$name.txt"
    "$POLCODE" --study "$study" eval --coder reference --format json >"$scratch/eval-$name.json"
    echo
    echo "== $name: polcode suggest report --coder reference =="
    "$POLCODE" --study "$study" suggest report --coder reference | tee "$scratch/suggest-report-$name.txt"
    if [ -n "$out" ]; then
        cp "$scratch/eval-$name.txt" "$scratch/eval-$name.json" "$scratch/suggest-report-$name.txt" "$out/"
    fi
}

# 1. The demo: built from the sources compiled into the binary, reference included.
demo="$(POLCODE_DATA_DIR="$scratch/data" "$POLCODE" demo | tail -n 1)"
[ -f "$demo/codings/reference.yaml" ] || die "the demo study has no codings/reference.yaml"
verify "$demo" demo

# 2. The corpus sample: a fresh scratch study of the whole corpus (IDF weights see all 41
#    documents, as in real use) with the reference codings of the 8 sampled documents.
study="$scratch/corpus"
"$POLCODE" init "$study" --codebook policy-tools >/dev/null
"$POLCODE" import "$corpus/docs" --meta "$corpus/metadata.csv" --study "$study" >/dev/null
cp "$reference" "$study/codings/reference.yaml"
verify "$study" corpus

run "$demo" demo
run "$study" corpus
