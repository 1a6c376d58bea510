"""The "PDF import" section of BENCHMARKS.md from the results bench/pdf.sh writes.

usage: pdf_report.py RESULTS  (prints the section; bench/python/report.py includes it)
"""
import json
import os
import re
import sys

PRODUCERS = [
    ("libreoffice", "LibreOffice (.docx → PDF; embedded simple font subsets with /ToUnicode)"),
    ("reportlab", "reportlab (STSong-Light: Type0, predefined UniGB-UCS2-H, not embedded)"),
    ("fpdf2", "fpdf2 (WenQuanYi Zen Hei: Type0, Identity-H, /ToUnicode)"),
]


def load(res, name):
    try:
        with open(os.path.join(res, name)) as f:
            return f.read()
    except OSError:
        return None


def section(res):
    rows = []
    accuracy = {}
    test = load(res, "pdf-test.txt") or ""
    for line in test.splitlines():
        m = re.match(r"(\w+): (\d+)/41 documents with the body paragraphs .*polcode (\d+)/41, pdftotext (\d+)/41", line)
        if m:
            accuracy[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
    for key, label in PRODUCERS:
        raw = load(res, f"pdf-{key}-polcode.json")
        if raw is None:
            continue
        size = int((load(res, f"pdf-{key}-bytes.txt") or "0").strip() or 0)
        ours = json.loads(raw)
        alone = json.loads(load(res, f"pdf-{key}-pdftotext.json"))
        both = json.loads(load(res, f"pdf-{key}-pdftotext-import.json"))
        mbs = lambda t: size / 1e6 / t
        acc = accuracy.get(key)
        rows.append(
            f"| {label} | {size / 1e6:.1f} MB | {ours['median'] * 1000:.0f} ms → **{mbs(ours['median']):.1f} MB/s** "
            f"| {alone['median'] * 1000:.0f} ms ({mbs(alone['median']):.1f} MB/s) "
            f"| {both['median'] * 1000:.0f} ms → {mbs(both['median']):.1f} MB/s "
            f"| {'**faster**' if ours['median'] <= both['median'] else 'slower'} ({both['median'] / ours['median']:.1f}×) "
            f"| {f'{acc[0]}/41; characters {acc[1]}/41 (pdftotext {acc[2]}/41)' if acc else '—'} |"
        )
    if not rows:
        return ""
    version = (load(res, "pdf-pdftotext-version.txt") or "").strip()
    out = ["## PDF import\n",
           "The 41 real documents as PDF, made at test time by three producers (`tests/pdf_real.rs`, "
           "cached under `target/pdf-corpus/`), imported into a new study with the metadata CSV: "
           "`polcode import` of the PDFs against poppler's `pdftotext` of each PDF followed by "
           f"`polcode import` of the text files ({version}). Whole processes, release build, median of 5 "
           "(`bench/pdf.sh`). MB/s is PDF bytes per second. The last column is the accuracy the test "
           "measures: documents whose body paragraphs equal those of the .txt import, and documents "
           "whose characters (without white space and page-number lines) equal the source's.\n",
           "| PDFs by | size | `polcode import` | `pdftotext` alone | `pdftotext` + `polcode import` | polcode vs pdftotext + import | same body paragraphs |",
           "|---|---|---|---|---|---|---|"]
    out += rows
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(section(sys.argv[1]))
