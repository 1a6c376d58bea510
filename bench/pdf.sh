#!/usr/bin/env bash
# PDF import speed (issue 14): `polcode import` of the 41 real documents as PDF, against
# poppler's `pdftotext` of each PDF followed by `polcode import` of the text, for the PDFs of
# each producer that tests/pdf_real.rs makes (LibreOffice, reportlab, fpdf2; cached under
# target/pdf-corpus/). Writes pdf-*.json and pdf-*-bytes.txt into RESULTS (default
# target/bench-data/results); bench/run.sh calls it, and it runs alone too. Needs the tools
# .ci/run installs and ../shared/corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CORPUS="${POLCODE_CORPUS:-$ROOT/../shared/corpus}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RES="${1:-$CARGO_TARGET_DIR/bench-data/results}"
mkdir -p "$RES"
PC="$CARGO_TARGET_DIR/release/polcode"
[ -x "$PC" ] || nice cargo build --release -q
TIMEIT="python3 bench/python/timeit.py"
command -v pdftotext >/dev/null || { echo "bench/pdf.sh: pdftotext not installed" >&2; exit 1; }

# The PDFs (made once, then cached).
cargo test -q --test integration pdf_real::pdf_import_matches_text_import -- --nocapture > "$RES/pdf-test.txt" 2>&1 ||
  { cat "$RES/pdf-test.txt" >&2; exit 1; }
{ pdftotext -v 2>&1 || true; } | head -1 > "$RES/pdf-pdftotext-version.txt"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
sed 's/^\([^,]*\)\.txt,/\1.pdf,/' "$CORPUS/metadata.csv" > "$TMP/meta-pdf.csv"
for producer in libreoffice reportlab fpdf2; do
  list="$CARGO_TARGET_DIR/pdf-corpus/$producer/current.tsv"
  [ -f "$list" ] || continue
  dir="$TMP/$producer"; mkdir -p "$dir"
  while IFS=$'\t' read -r stem pdf; do cp "$pdf" "$dir/$stem.pdf"; done < "$list"
  du -cb "$dir"/*.pdf | tail -1 | cut -f1 > "$RES/pdf-$producer-bytes.txt"
  $TIMEIT 5 --setup "rm -rf '$TMP/s' && '$PC' init '$TMP/s' >/dev/null" -- \
    "$PC" --study "$TMP/s" import "$dir" --meta "$TMP/meta-pdf.csv" > "$RES/pdf-$producer-polcode.json"
  $TIMEIT 5 -- sh -c "for f in '$dir'/*.pdf; do pdftotext -enc UTF-8 \"\$f\" /dev/null; done" \
    > "$RES/pdf-$producer-pdftotext.json"
  $TIMEIT 5 --setup "rm -rf '$TMP/s' '$TMP/t' && mkdir '$TMP/t' && '$PC' init '$TMP/s' >/dev/null" -- \
    sh -c "for f in '$dir'/*.pdf; do pdftotext -enc UTF-8 \"\$f\" '$TMP/t/'\$(basename \"\$f\" .pdf).txt; done && '$PC' --study '$TMP/s' import '$TMP/t' --meta '$CORPUS/metadata.csv'" \
    > "$RES/pdf-$producer-pdftotext-import.json"
done
python3 bench/python/pdf_report.py "$RES"
