#!/usr/bin/env bash
# Re-makes codebooks/policy-tools.prior.tsv, the prior shipped with the policy-tools codebook
# (src/suggest/prior.rs), from every coded set the project has:
#   - ../shared/devset: 400 corpus paragraphs, two independent coders (the codes both gave);
#   - bench/reference/corpus-sample.yaml: the reference codings of 8 corpus documents;
#   - the demo study's reference codings (crates/core/src/demo/reference.yaml).
# Training is deterministic: the same inputs give the same file, byte for byte.
#
# Usage: bench/train_prior.sh [OUT_FILE]   (default: codebooks/policy-tools.prior.tsv)
# Environment: POLCODE=path/to/polcode (default: builds with `cargo build`),
#   CORPUS=..., DEVSET=... (default: ../shared/corpus and ../shared/devset).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
devset="${DEVSET:-$root/../shared/devset}"
out="${1:-$root/codebooks/policy-tools.prior.tsv}"

die() {
    echo "bench/train_prior.sh: $*" >&2
    exit 1
}
[ -d "$corpus/docs" ] || die "no corpus at $corpus (set CORPUS=...)"
[ -f "$devset/devset.yaml" ] || die "no development set at $devset (set DEVSET=...)"
if [ -z "${POLCODE:-}" ]; then
    (cd "$root" && cargo build --quiet) || die "cargo build failed"
    POLCODE="${CARGO_TARGET_DIR:-$root/target}/debug/polcode"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/polcode-prior.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

"$POLCODE" devset load "$devset/devset.yaml" --corpus "$corpus" --out "$scratch/devset" >/dev/null
study="$scratch/corpus"
"$POLCODE" init "$study" --codebook policy-tools >/dev/null
"$POLCODE" import "$corpus/docs" --meta "$corpus/metadata.csv" --study "$study" >/dev/null
cp "$root/bench/reference/corpus-sample.yaml" "$study/codings/reference.yaml"
"$POLCODE" --study "$study" check >/dev/null || die "the corpus-sample reference no longer fits the imported paragraphs"
demo="$(POLCODE_DATA_DIR="$scratch/data" "$POLCODE" demo | tail -n 1)"

"$POLCODE" prior train -o "$out" \
    "$scratch/devset=coder_a+coder_b" "$study=reference" "$demo=reference"
