#!/usr/bin/env bash
# Reproduces the figures of EVALUATION.md: suggestion quality (`polcode eval`) against the
# hand-made reference codings, on the bundled demo study and on an 8-document sample of the
# real corpus in ../shared/corpus (imported into a scratch study that is deleted afterwards;
# the corpus texts never enter the repository); and against the two coders of the development
# set in ../shared/devset (`polcode devset load`, then `polcode eval --coders coder_a coder_b`),
# whose tables it WRITES into EVALUATION.md between the `devset-eval` markers.
#
# Usage: bench/eval.sh [OUT_DIR]
#   Prints the tables; with OUT_DIR also writes eval-{demo,corpus,devset}.{txt,json},
#   eval-devset.md and suggest-report-{demo,corpus}.txt there.
# Environment: POLCODE=path/to/polcode (default: builds with `cargo build`),
#   CORPUS=path/to/corpus (default: ../shared/corpus next to the repository root),
#   DEVSET=path/to/devset (default: ../shared/devset; skipped with a message when absent).
#
# It fails loudly (exit 1) when the reference codings no longer fit the imported paragraphs:
# a changed splitter or normaliser changes paragraph numbers or text hashes, and the figures
# would then be measured against codes that belong to other text.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
devset="${DEVSET:-$root/../shared/devset}"
reference="$root/bench/reference/corpus-sample.yaml"
report="$root/EVALUATION.md"
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

# 3. The development set: 400 paragraphs coded by two coders, loaded into a scratch study of
#    its 38 documents. The section between the markers of EVALUATION.md is replaced by the
#    method text below and the tables of `polcode eval --coders coder_a coder_b -f md`.
if [ ! -f "$devset/devset.yaml" ]; then
    echo "bench/eval.sh: no development set at $devset (set DEVSET=...); its section of EVALUATION.md is left as it is" >&2
    exit 0
fi
grep -q '^<!-- devset-eval:begin -->$' "$report" && grep -q '^<!-- devset-eval:end -->$' "$report" ||
    die "$report has no <!-- devset-eval:begin --> / <!-- devset-eval:end --> lines"
dstudy="$scratch/devset"
echo
echo "== devset: polcode devset load =="
"$POLCODE" devset load "$devset/devset.yaml" --corpus "$corpus" --out "$dstudy" ||
    die "devset: loading failed (items no longer match the imported paragraphs?)"
echo
echo "== devset: polcode eval --coders coder_a coder_b --prior lodo =="
# The shipped prior was trained on these paragraphs: score each document with a prior trained
# on the other documents only.
"$POLCODE" --study "$dstudy" eval --coders coder_a coder_b --prior lodo | tee "$scratch/eval-devset.txt"
"$POLCODE" --study "$dstudy" eval --coders coder_a coder_b --prior lodo -f md --wide >"$scratch/eval-devset.md"
"$POLCODE" --study "$dstudy" eval --coders coder_a coder_b --prior lodo -f json >"$scratch/eval-devset.json"
if [ -n "$out" ]; then
    cp "$scratch/eval-devset.txt" "$scratch/eval-devset.md" "$scratch/eval-devset.json" "$out/"
fi

section="$scratch/devset-section.md"
{
    echo '<!-- devset-eval:begin -->'
    echo '<!-- Generated by bench/eval.sh from `polcode eval --coders coder_a coder_b -f md`; edit the script, not this section. -->'
    cat <<'TEXT'
## Two coders: the development set

**These are figures on the DEVELOPMENT set** (`../shared/devset`): 400 body paragraphs drawn
at random from 38 corpus documents (all but the hard-wrapped 10–12), each coded independently
by two coders against the policy-tools definitions, without seeing any suggestion (Cohen's κ
0.916 mean over the leaves, identical code sets on 79% of paragraphs; see that folder's
README). The engine is developed while looking at this set, so its figures are optimistic;
the held-out sets that measure the result — other paragraphs of the corpus and documents
outside it, coded the same way — are kept by others and are not reported here.

**How it is made.** `polcode devset load` creates a scratch study with the bundled
`policy-tools` codebook, imports the set's 38 documents with `metadata.csv` (as `polcode
import --meta` does; IDF weights therefore see those 38 documents only), matches each item to
the paragraph of its document with the same text once all whitespace is removed, and records
the two coders `coder_a` and `coder_b` through the coder store (`via: typed`, an explicit
no-code for `[none]`). `polcode eval --coders coder_a coder_b` then asks `Engine::offer`, the
same call the coding screen makes, for each paragraph both coders decided and scores what it
offers. The conventions — denominators, the agreed-set rule, the key-counting rule — are the
notes under the first table. Learning is trained on `coder_a` only and never on the document
being evaluated.

**Models.** `keywords`: the codebook's keywords on the paragraph, its lead clause and the
headings above it (no prior, no learning) — what a codebook without a prior gets. `prior
alone`: the bundled model's design (logistic regression over the paragraph's character
bigrams, its lead clause, the headings above, target/quantity/boilerplate patterns) without
keyword evidence. `keywords+prior`: the same with the keyword evidence — what the coding
screen offers before the coder's first decision. Because the shipped prior
(`codebooks/policy-tools.prior.tsv`, made by `bench/train_prior.sh`) was trained on these
very paragraphs, every document here is scored by a prior retrained on the **other 37
documents only** (`--prior lodo`), never by the shipped file. `+learning`: the coder's own
decisions on top (`src/suggest/learn.rs`), used once there are 10 decisions and, per node, 3
paragraphs coded with it. The picker cost per node (last columns of the per-node table) is Space + the
fewest typed ASCII characters that put the node first in the node picker's search + Enter.

TEXT
    # One heading level down, under the section heading above.
    sed 's/^### /#### /' "$scratch/eval-devset.md"
    echo
    echo '<!-- devset-eval:end -->'
} >"$section"
awk -v section="$section" '
    /^<!-- devset-eval:begin -->$/ { while ((getline line < section) > 0) print line; skip = 1; next }
    /^<!-- devset-eval:end -->$/ { skip = 0; next }
    !skip { print }
' "$report" >"$scratch/EVALUATION.md"
cp "$scratch/EVALUATION.md" "$report"
echo
echo "bench/eval.sh: wrote the development-set section of $report"
