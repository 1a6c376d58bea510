#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ for the cargo-fuzz targets from ../shared/corpus (real Chinese
# policy texts) and the project's own fixtures. fuzz/corpus is git-ignored: the corpus texts are
# never committed. Re-running replaces the seeds. Needs: iconv, zip, sha256sum, and a built
# polcode binary (built here with `cargo build` when missing).
#
#   fuzz/seed.sh                 # then: cargo +nightly fuzz run import_text ...
set -euo pipefail
cd "$(dirname "$0")"
FUZZ=$PWD
ROOT=$(cd .. && pwd)
SHARED=${SHARED:-$ROOT/../shared}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET_DIR/debug/polcode
[ -x "$BIN" ] || (cd "$ROOT" && cargo build)

C=$FUZZ/corpus
rm -rf "$C"
mkdir -p "$C/import_text" "$C/codebook_load" "$C/journal_replay" "$C/qdpx_import" "$C/pdf_text"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# import_text: the first byte picks the extension (0 txt, 1 md, 2 html, 3 docx, 4 htm).
sel() { printf "\\x$(printf %02x "$1")"; }
texts=("$ROOT"/src/demo/*.txt)
if [ -d "$SHARED/corpus/docs" ]; then
  texts+=("$SHARED"/corpus/docs/*.txt)
else
  echo "seed.sh: $SHARED/corpus absent; seeding from the project's fixtures only" >&2
fi
i=0
for f in "${texts[@]}"; do
  i=$((i + 1))
  { sel 0; cat "$f"; } >"$C/import_text/txt-$i"
  # The same text as GB18030 (the usual encoding of older downloads) and as UTF-16 with BOM.
  { sel 0; iconv -c -f UTF-8 -t GB18030 "$f"; } >"$C/import_text/gbk-$i"
  { sel 0; iconv -f UTF-8 -t UTF-16 "$f"; } >"$C/import_text/utf16-$i"
  { sel 1; sed 's/^一、/## 一、/' "$f"; } >"$C/import_text/md-$i"
  {
    sel 2
    printf '<html><head><meta charset="utf-8"><title>t</title></head><body>\n'
    sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/^/<p>/' -e 's/$/<\/p>/' "$f"
    printf '</body></html>\n'
  } >"$C/import_text/html-$i"
  # A minimal .docx: word/document.xml with one w:p per line.
  if [ "$i" -le 12 ]; then
    mkdir -p "$TMP/docx/word"
    {
      printf '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
      sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/^/<w:p><w:r><w:t>/' -e 's/$/<\/w:t><\/w:r><\/w:p>/' "$f"
      printf '</w:body></w:document>'
    } >"$TMP/docx/word/document.xml"
    (cd "$TMP/docx" && rm -f ../d.docx && zip -q -r ../d.docx word)
    { sel 3; cat "$TMP/d.docx"; } >"$C/import_text/docx-$i"
  fi
done
if [ -d "$ROOT/tests/fixtures/hostile" ]; then
  for f in "$ROOT"/tests/fixtures/hostile/*; do
    { sel 0; cat "$f"; } >"$C/import_text/hostile-$(basename "$f")"
  done
fi

# codebook_load: the bundled codebooks and the hostile codebook fixtures.
cp "$ROOT"/codebooks/*.yaml "$C/codebook_load/"
for f in "$ROOT"/tests/fixtures/hostile/*codebook*.yaml; do
  [ -e "$f" ] && cp "$f" "$C/codebook_load/"
done

# journal_replay: real journal lines (checksummed as polcode writes them) and snapshots.
crc() { printf %s "$1" | sha256sum | cut -c1-8; }
line() { local body=$1; printf '%s,"crc":"%s"}\n' "$body" "$(crc "$body")"; }
{
  line '{"seq":1,"d":{"para":"01_national_blockchain-opinions#3","hash":"9f2c1a0b7d3e4f51","nodes":["supply.technology"],"coder":"李明","at":"2025-01-01T08:00:00Z","via":{"supply.technology":{"via":"suggestion","rank":1,"source":"keyword"}}}'
  line '{"seq":2,"d":{"para":"01_national_blockchain-opinions#4","hash":"00aa11bb22cc33dd","no_code":true,"coder":"李明","at":"2025-01-01T08:00:05Z"}'
  line '{"seq":3,"d":{"para":"01_national_blockchain-opinions#5","hash":"1234567890abcdef","nodes":["environment.tax-incentives","demand.procurement"],"scores":{"goals":2},"memo":"税收优惠\n第二行","coder":"李明","at":"2025-01-01T08:01:00Z","via":{"environment.tax-incentives":{"via":"search"},"demand.procurement":{"via":"reconciled","from":"wang"}}}'
} >"$C/journal_replay/three-records"
head -c 300 "$C/journal_replay/three-records" >"$C/journal_replay/torn"
cat >"$C/journal_replay/snapshot" <<'EOF'
coder: li
format: 1
seq: 3
decisions:
- para: 01_national_blockchain-opinions#3
  hash: 9f2c1a0b7d3e4f51
  nodes:
  - supply.technology
  coder: li
  at: 2025-01-01T08:00:00Z
  via:
    supply.technology:
      via: suggestion
      rank: 1
      source: keyword
orphans:
- decision:
    para: gone#1
    hash: 00aa11bb22cc33dd
    no_code: true
    coder: li
    at: 2025-01-01T08:00:05Z
  reason: paragraph text not found after re-import
EOF
if [ -d "$ROOT/tests/fixtures/hostile" ]; then
  for f in "$ROOT"/tests/fixtures/hostile/*journal* "$ROOT"/tests/fixtures/hostile/*codings*; do
    [ -e "$f" ] && cp "$f" "$C/journal_replay/"
  done
fi

# qdpx_import: REFI-QDA projects exported by polcode from the demo study, with and without
# codings.
export POLCODE_DATA_DIR=$TMP/data
study=$("$BIN" demo)
"$BIN" export --study "$study" -f qdpx -o "$C/qdpx_import/demo-uncoded.qdpx"
mkdir -p "$study/codings"
{
  line '{"seq":1,"d":{"para":"01_national_blockchain-opinions#3","hash":"x","nodes":["supply"],"coder":"li","at":"2025-01-01T08:00:00Z"}'
  line '{"seq":2,"d":{"para":"03_beijing_blockchain-action-plan#5","hash":"x","nodes":["environment","demand"],"memo":"备注","coder":"li","at":"2025-01-01T08:00:00Z"}'
} >"$study/codings/li.journal"
"$BIN" export --study "$study" -f qdpx -o "$C/qdpx_import/demo-coded.qdpx"

# Every saved regression input (crashes found earlier, odd cases) is a seed too.
for t in import_text codebook_load journal_replay qdpx_import; do
  for f in "$ROOT/tests/fixtures/fuzz-regressions/$t"/*; do
    [ -e "$f" ] && cp "$f" "$C/$t/regression-$(basename "$f")"
  done
done

for t in import_text codebook_load journal_replay qdpx_import; do
  echo "$t: $(find "$C/$t" -type f | wc -l) seeds, $(du -sh "$C/$t" | cut -f1)"
done

# pdf_text: the PDFs tests/pdf_real.rs made of the real corpus (LibreOffice, reportlab, fpdf2),
# when it has run.
for list in "$TARGET_DIR"/pdf-corpus/*/current.tsv; do
  [ -f "$list" ] || continue
  while IFS=$'\t' read -r _ pdf; do cp "$pdf" "$C/pdf_text/"; done < "$list"
done
