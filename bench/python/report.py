"""Writes BENCHMARKS.md from the files bench/run.sh leaves in its results folder.

Usage: report.py RESULTS_DIR CRITERION_DIR > BENCHMARKS.md. Standard library only.
"""
import glob
import json
import os
import platform
import re
import subprocess
import sys

RES, CRIT = sys.argv[1], sys.argv[2]


def read(name, default=""):
    try:
        with open(os.path.join(RES, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def jload(name):
    t = read(name)
    return json.loads(t) if t.strip() else None


R = {}
for line in read("results.jsonl").splitlines():
    if line.strip():
        r = json.loads(line)
        R[r["key"]] = r

# The colleague's suggest bench prints its own percentiles (µs).
SUG = {}
for m in re.finditer(r"^((?:suggest|offer), [^:]+): p50 ([\d.]+) µs, p99 ([\d.]+) µs, max ([\d.]+) µs", read("bench-suggest.txt"), re.M):
    SUG[m.group(1)] = {"p50": float(m.group(2)) / 1e3, "p99": float(m.group(3)) / 1e3, "max": float(m.group(4)) / 1e3}
SUG_INFO = [l for l in read("bench-suggest.txt").splitlines() if l.startswith(("Engine::new", "Segmenter::new", "paragraphs with", "301", "300"))]


def ms(v):
    if v is None:
        return "—"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    if v >= 10:
        return f"{v:.0f} ms"
    if v >= 1:
        return f"{v:.2f} ms"
    return f"{v * 1000:.0f} µs"


def spread(key, unit="ms"):
    r = R.get(key)
    if not r:
        return "not measured"
    f = ms if unit == "ms" else (lambda v: f"{v:.0f} B")
    return f"p50 {f(r['p50'])}, p99 {f(r['p99'])}, max {f(r['max'])} (n={r['n']})"


def verdict(value, target, unit="ms"):
    if value is None:
        return "not measured"
    if value <= target:
        return "**met**"
    over = ms(value - target) if unit == "ms" else f"{value - target:.0f} {unit}"
    return f"**missed** ({value / target:.1f}x the target, +{over})"


def cli(name):
    j = jload(name)
    return j


# Machine.
def read_file(p):
    try:
        with open(p, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""
cpu = next((l.split(":", 1)[1].strip() for l in read_file("/proc/cpuinfo").splitlines() if l.startswith("model name")), "?")
mem_kb = next((int(l.split()[1]) for l in read_file("/proc/meminfo").splitlines() if l.startswith("MemTotal")), 0)
rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True).stdout.strip()

# Peak memory and fresh-process start-up.
def max_rss(name):
    return [int(m.group(1)) for i in (1, 2, 3) for m in [re.search(r"Maximum resident set size \(kbytes\): (\d+)", read(f"{name}-{i}.txt"))] if m]
rss = max_rss("code-mem")          # the real binary in tmux
rss_once = max_rss("startup-mem")  # the bench binary's --startup-once
peak_mb = max(rss) / 1024 if rss else None
fresh = []
hwm = []
for i in (1, 2, 3):
    m = re.search(r"peak RSS at the first full frame (\d+) kB, after the learner (\d+) kB", read(f"startup-once-{i}.txt"))
    if m:
        hwm.append((int(m.group(1)) / 1024, int(m.group(2)) / 1024))
    m = re.search(r"first full frame ([\d.]+) ms, learner ready and redrawn ([\d.]+) ms", read(f"startup-once-{i}.txt"))
    if m:
        fresh.append((float(m.group(1)), float(m.group(2))))

st = cli("cli-stats.json")
stt = cli("cli-stats-tally.json")
imp = cli("cli-import.json")
corpus_bytes = int(read("corpus-bytes.txt", "0").strip() or 0)
fp, fy = cli("freq-polcode.json"), cli("freq-python.json")
fb = jload("freq-python-breakdown.json")
ap, ay = cli("agree-polcode.json"), cli("agree-python.json")
sp, sby, sg = cli("search-polcode.json"), cli("search-by-polcode.json"), cli("search-grep.json")
# search-counts.txt: polcode hits, paragraphs, documents (--all); grep -o lines; grep -c lines, files.
sc = [l.split() for l in read("search-counts.txt", "").splitlines()]
ao = jload("agree-python-out.json")

def g(key, field):
    return R.get(key, {}).get(field)

rows = []
def row(what, target_txt, measured, verdict_txt):
    rows.append(f"| {what} | {target_txt} | {measured} | {verdict_txt} |")

load_ms = g("startup.loading", "p99")
row("start to first drawn frame (the \"loading\" frame `polcode code` draws before opening the study), 600 docs + 20k decisions",
    "≤ 150 ms", spread("startup.loading"), verdict(load_ms, 150.0))
full99 = g("startup.full", "p99")
row("start to first *coding* frame (paragraph, suggestions, tallies), same study — held to the 150 ms target too",
    "≤ 150 ms", spread("startup.full"), verdict(full99, 150.0))
row("start to suggestions and tallies complete (same frame), same study", "≤ 400 ms",
    spread("startup.full") + (f"; fresh process: {', '.join(ms(a) for a, _ in fresh)}" if fresh else ""),
    verdict(max([full99 or 0] + [a for a, _ in fresh]) or None, 400.0))
row("next paragraph: `j` + suggestions (keywords + learner) + tallies + render, 120x40", "≤ 5 ms p99", spread("next"), verdict(g("next", "p99"), 5.0))
sk = SUG.get("suggest, keywords only")
sl = next((v for k, v in SUG.items() if k.startswith("suggest") and "learner" in k), None)
so = SUG.get("offer, policy-tools + prior")
sol = SUG.get("offer, policy-tools + prior + learner (2,000 decisions)")
row("suggestions for one paragraph, 300 nodes / 1,200 keywords (keywords only)", "≤ 1 ms p99",
    f"p50 {ms(sk['p50'])}, p99 {ms(sk['p99'])}, max {ms(sk['max'])} (n=10,000)" if sk else "not measured", verdict(sk and sk["p99"], 1.0))
row("… with a learner of 2,000 decisions blended in", "≤ 1 ms p99",
    f"p50 {ms(sl['p50'])}, p99 {ms(sl['p99'])}, max {ms(sl['max'])} (n=10,000)" if sl else "not measured", verdict(sl and sl["p99"], 1.0))
row("decision point (`Engine::offer`) for one paragraph: policy-tools + bundled prior (keywords on the text, lead clause and a heading; prior features)", "≤ 1 ms p99",
    f"p50 {ms(so['p50'])}, p99 {ms(so['p99'])}, max {ms(so['max'])} (n=10,000)" if so else "not measured", verdict(so and so["p99"], 1.0))
row("… with a learner of 2,000 decisions blended in", "≤ 1 ms p99",
    f"p50 {ms(sol['p50'])}, p99 {ms(sol['p99'])}, max {ms(sol['max'])} (n=10,000)" if sol else "not measured", verdict(sol and sol["p99"], 1.0))
row("fuzzy picker per keystroke, 1,000 nodes: type a character + render", "≤ 2 ms", spread("picker.type"), verdict(g("picker.type", "p99"), 2.0))
row("fuzzy picker per keystroke, 1,000 nodes: selection down + render", "≤ 2 ms", spread("picker.down"), verdict(g("picker.down", "p99"), 2.0))
row("record one decision durably (journal append + fdatasync; every 500th also compacts)", "≤ 5 ms p99", spread("record"), verdict(g("record", "p99"), 5.0))
row("reopen a study with 200k decisions: one coder's 200k (`CoderStore::open`)", "≤ 1 s", spread("reopen"), verdict(g("reopen", "p50"), 1000.0))
row("reopen: both coders of the 5,000-doc study, 2 x 100k (`read_codings`)", "≤ 1 s", spread("reopen.all"), verdict(g("reopen.all", "p50"), 1000.0))
if st:
    row("`polcode stats` over 200k decisions (whole command: 5,000 documents + 2 coders + tallies, coverage, text output)", "≤ 1 s",
        f"median {ms(st['median'] * 1e3)}, min {ms(st['min'] * 1e3)}, max {ms(st['max'] * 1e3)} (n={len(st['runs'])})", verdict(st["median"] * 1e3, 1000.0))
row("… its analysis core: `Tally` + `Coverage` build over 200k decisions", "(part of the above)", spread("stats.build"), verdict(g("stats.build", "p50"), 1000.0))
if sp:
    row("`polcode search 区块链` over the 41 real documents (whole command: open the study, search every body paragraph, keyword-in-context text)", "well under 1 s",
        f"median {ms(sp['median'] * 1e3)}, min {ms(sp['min'] * 1e3)}, max {ms(sp['max'] * 1e3)} (n={len(sp['runs'])})", verdict(sp["median"] * 1e3, 1000.0))
if sby:
    row("… `--by province` (documents and paragraphs with hits per province)", "well under 1 s",
        f"median {ms(sby['median'] * 1e3)}, min {ms(sby['min'] * 1e3)}, max {ms(sby['max'] * 1e3)} (n={len(sby['runs'])})", verdict(sby["median"] * 1e3, 1000.0))
bd, bt = g("bytes.down", "max"), g("bytes.type", "max")
row("bytes written per keystroke at 120x40: selection move (picker down)", "≤ 512 B", spread("bytes.down", "B"), verdict(bd, 512, "B"))
row("bytes written per keystroke at 120x40: typed character (picker query)", "≤ 512 B", spread("bytes.type", "B"), verdict(bt, 512, "B"))
row("peak memory, 600 docs + 20k decisions (`polcode code` in tmux: open, first frame, learner built, 5 x `j`, code one, quit with the snapshot rewrite)", "≤ 100 MB",
    f"max RSS {', '.join(f'{r / 1024:.0f} MB' for r in rss)}" if rss else "not measured", verdict(peak_mb, 100.0, "MB"))
if imp and corpus_bytes:
    mbs = corpus_bytes / 1e6 / imp["median"]
    row(f"`polcode import` of the 41 real documents ({corpus_bytes / 1e6:.2f} MB, metadata CSV, into a new study)", "report MB/s",
        f"median {ms(imp['median'] * 1e3)} → **{mbs:.1f} MB/s** (min {ms(imp['min'] * 1e3)}, max {ms(imp['max'] * 1e3)}, n={len(imp['runs'])})", "reported")
pdf_lo = [os.path.join(RES, f"pdf-libreoffice-{n}.json") for n in ("polcode", "pdftotext-import")]
if all(os.path.exists(f) for f in pdf_lo):
    po, pt = (json.load(open(f))["median"] for f in pdf_lo)
    pdf_mb = int(read("pdf-libreoffice-bytes.txt", "0").strip() or 0) / 1e6
    row(f"`polcode import` of the 41 real documents as PDF (LibreOffice, {pdf_mb:.1f} MB) vs `pdftotext` + `polcode import` of the text",
        "at least as fast", f"{po * 1000:.0f} ms → **{pdf_mb / po:.1f} MB/s** vs {pt * 1000:.0f} ms ({pdf_mb / pt:.1f} MB/s); see PDF import",
        "met" if po <= pt else "**missed**")

out = []
w = out.append
w("# Benchmarks\n")
w("Written by `bench/run.sh` (issue 7); do not edit by hand — re-run the script. Targets are the issue's; "
  "a missed target is reported with what dominates it, never relaxed.\n")
w("## Machine\n")
w(f"- CPU: {cpu}, {os.cpu_count()} cores (shared with other work during the run; everything heavy ran under `nice`)")
w(f"- memory: {mem_kb / 1024 / 1024:.1f} GiB; OS: {platform.system()} {platform.release()}; {rustc}")
w(f"- load average at start: {read('loadavg-start.txt').strip()}; before the CLI timings: {read('loadavg-before-cli.txt').strip()}")
w(f"- Python side: {' '.join(l for l in read('pip-freeze.txt').split() if l.split('==')[0].lower() in ('jieba', 'krippendorff', 'numpy'))} ({platform.python_version()})\n")
w("## Method\n")
w("- **Data**: `polcode-benchdata` (the dev-only crate `crates/benchdata`, never in the polcode binary) imports the 41 real documents of "
  "`../shared/corpus` with polcode's importer, then builds N documents by taking the paragraph structure of a "
  "random source document and filling its body paragraphs with random real body paragraphs (splitmix64, seed 1); "
  "metadata cycles through all levels, the 31 provinces of all regions, and the years 2010–2024. Decisions cover "
  "whole documents in a random order; coder c1 picks a leaf of the bundled policy-tools codebook (sometimes two, 8% "
  "explicit no-code), other coders agree with c1 ~80% of the time. They are written through the store's own "
  "snapshot and journal code: all but the last min(10%, 499) decisions in the snapshot, the rest as journal records "
  "(a session compacts every 500). Studies: `s600` = 600 documents, 20,000 decisions, one coder (the coder opened "
  "holds all 20k: the worst case for start-up); `s5000` = 5,000 documents, 200,000 decisions as 2 coders x 100,000 "
  "on the same paragraphs (= 200k ratings for agreement), plus `solo-codings/solo` with 200,000 decisions of one "
  "coder (the worst case for reopening). Generated under `target/bench-data/`, never committed.")
w("- **In-process figures** come from `cargo bench` (`crates/benches/benches/tui.rs`, `store.rs`, `suggest.rs`, package `polcode-benches`): "
  "each first times single calls in a loop and reports p50 / p99 / max (criterion reports means, so it cannot give "
  "a p99), then runs criterion (means with 95% intervals below). Frames go through the TUI's own `FrameWriter` "
  "into a `Vec<u8>` in a ratatui terminal with a fixed 120x40 viewport; `render()` returns the bytes of each frame "
  "(synchronized-update codes included). Start-up follows `tui::run::run`: config check, loading frame, "
  "`prepare()` (Study::open, CoderStore::open with the lock, Engine::new, App::new with suggestions and tallies), "
  "first full frame; repeated in one process, so the page cache is warm (a second start).")
w("- **Fresh process**: `tui --startup-once` (a mode of the bench binary) does the same once and also builds "
  "jieba and the learner as the TUI's thread does, then redraws (3 runs). **Peak memory** is measured on the real "
  "binary: `polcode code` on a copy of `s600` in a tmux pane of 120x40 under `/usr/bin/time -v`; after the coding "
  "screen appears it waits 3 s (the learner is built by then), presses `j` five times, codes one paragraph and "
  "quits, which rewrites the snapshot (3 runs).")
w("- **Commands** (`stats`, `import`, `freq`, `search`, `agree`, the Python scripts, `grep`) are timed as whole processes by "
  "`bench/python/timeit.py` (wall clock, output discarded), release build.")
w("- **Side by side**: a throwaway venv gets `bench/python/requirements.txt`. Word frequency: `polcode freq` on a "
  "study of the 41 imported documents vs `bench/python/freq.py` (jieba.cut over the same 41 files + "
  "`collections.Counter`, Chinese words of ≥ 2 characters). Agreement: `polcode agree c1 c2` on `s5000` vs "
  "`bench/python/agree.py` running `krippendorff.alpha(level_of_measurement='nominal')` per node and pooled over "
  "leaves on the same 0/1/missing matrices, written by `polcode-benchdata --ratings` with polcode's alphas at full "
  "precision so every value is checked.\n")
w("## Results against the targets\n")
w("| what | target | measured (spread) | verdict |")
w("|---|---|---|---|")
out.extend(rows)
w("")

# Breakdowns.
w("## Where the time goes\n")
for k in ("startup.loading", "startup.prepare", "prepare.study", "prepare.store", "prepare.engine", "prepare.app",
          "startup.full", "startup.learner", "bytes.first", "next.nolearner", "next", "next.key", "next.render",
          "bytes.next", "picker.type", "picker.type.key",
          "record.append", "record.compact", "reopen", "reopen.read", "reopen.bytes", "reopen.parse", "reopen.journal",
          "reopen.json", "reopen.all", "study.open", "stats.build", "agree.compute"):
    r = R.get(k)
    if not r:
        continue
    if "value" in r:
        v = r["value"]
        txt = f"{v:.1f} {r['unit']}" if r["unit"] != "ms" else ms(v)
    else:
        txt = spread(k, "B" if k.startswith("bytes") else "ms")
    w(f"- {r['what'].strip()}: {txt}")
if fresh:
    w(f"- fresh process (`--startup-once`, 3 runs): first full frame {', '.join(ms(a) for a, _ in fresh)}; "
      f"jieba + learner ready and redrawn {', '.join(ms(b) for _, b in fresh)}")
if hwm:
    w(f"- memory of the fresh process (`--startup-once`): peak RSS at the first full frame "
      f"{', '.join(f'{a:.0f} MB' for a, _ in hwm)}; after jieba + learner {', '.join(f'{b:.0f} MB' for _, b in hwm)}")
if stt and st:
    w(f"- `polcode stats --what tally` (no coverage tables): median {ms(stt['median'] * 1e3)} vs {ms(st['median'] * 1e3)} for `stats`")
for l in SUG_INFO:
    w(f"- suggest bench: {l}")
w("")
for name, what in (("stats", "`polcode stats` on `s5000`"), ("agree", "`polcode agree c1 c2` on `s5000`"),
                   ("next", "`tui --next-loop` (start-up, then 3,000 x `j` + render on `s600`)")):
    perf = read(f"perf-{name}.txt").strip()
    if perf:
        w(f"Profile of {what} (perf, self time by symbol, ≥ 1.5%):\n")
        w("```text")
        w(perf)
        w("```\n")


def v(key, field="p50"):
    r = R.get(key, {})
    return r.get(field, r.get("value"))


def pct(a, b):
    return f"{100 * a / b:.0f}%" if a and b else "?"


w("## What dominates the misses\n")
w("The run shares 2 cores with other engineers' builds and tests (see the load averages above); absolute times "
  "move by ±50% between runs, the breakdowns below do not. Targets are unchanged.\n")
misses_at = len(out)
ps, pst, pe, pa, pf = v("prepare.study"), v("prepare.store"), v("prepare.engine"), v("prepare.app"), v("startup.full")
if ps and pf and pf > 150:
    w(f"- **Start-up to the full coding frame** (p50 {ms(pf)}; the issue's 150 ms target is for the first drawn "
      "frame, which is the loading frame and is met — this row holds the coding frame to the same bar). The parts of "
      f"`prepare()`, timed one by one: `Study::open` {ms(ps)} (600 document files), `CoderStore::open` {ms(pst)} "
      f"(20k decisions), `Engine::new` {ms(pe)} (IDF over every paragraph, two threads), `App::new` {ms(pa)} "
      "(units, tallies, resume position, suggestions). Documents and snapshots are written one flow-style line per "
      "paragraph/decision and read with serde_json; what is left is spread over the four parts.")
nk, nr, n99 = v("next.key"), v("next.render"), v("next", "p99")
if nk and nr and n99 and n99 > 5:
    w(f"- **Next paragraph** (p99 {ms(n99)}): `handle_key` {ms(nk)} p50, `render` {ms(nr)} p50.")
tk, tt = v("picker.type.key"), v("picker.type", "p99")
if tk and tt and tt > 2:
    w(f"- **Picker per keystroke** (p99 {ms(tt)}): the nucleo refilter of 1,000 haystacks is {ms(tk)} p50; the rest "
      "is the frame render.")
bt = v("bytes.type", "max")
if bt and bt > 512:
    w(f"- **Bytes per typed character in the picker query** (p50 {v('bytes.type'):.0f} B, max {bt:.0f} B): the "
      "first character typed after opening the picker replaces all nine visible rows (the order is by score); "
      "each costs a cursor move, its text and the match-highlight codes.")
rp, ra, rc = v("record", "p99"), v("record.append"), v("record.compact")
if rp and rp > 5:
    w(f"- **Record durably** (p99 {ms(rp)}): one `write` + `fdatasync` of a ~300-byte line; p50 {ms(ra)} is the "
      "virtual disk's flush latency, and its tail follows other disk traffic on the shared machine. Every 500th "
      f"record also rewrites the snapshot ({ms(rc)} p50; shows in max, not p99).")
ro, rparse, rjson = v("reopen"), v("reopen.parse"), v("reopen.json")
if ro and rparse and ro > 1000:
    w(f"- **Reopen 200k** ({ms(ro)}): parsing the {v('reopen.bytes'):.0f} MB snapshot is {ms(rparse)} "
      f"({pct(rparse, ro)}); reading the file {ms(v('reopen.read'))}, the journal {ms(v('reopen.journal'))}.")
so, sb = v("study.open"), v("stats.build")
if st and so and st["median"] > 1:
    w(f"- **`polcode stats` over 200k** (median {ms(st['median'] * 1e3)}): `Study::open` of 5,000 documents "
      f"{ms(so)} + reading both coders {ms(v('reopen.all'))}; the tallies and coverage themselves take {ms(sb)}; "
      "the rest is process start-up, grouping and writing the tables.")
if hwm and peak_mb and peak_mb > 100:
    a, b = hwm[0]
    w(f"- **Peak memory** ({', '.join(f'{x / 1024:.0f} MB' for x in rss)}): the bench binary's `--startup-once` "
      f"has {a:.0f} MB at the first full frame (documents, decisions, keyword engine, parser buffers) and {b:.0f} MB "
      "once jieba and the learner are built.")
if fp and fy and fy["median"] / fp["median"] < 10:
    w(f"- **Word frequency vs Python** ({fy['median'] / fp['median']:.1f}x, the issue expects well over 10x): see "
      "the profile of `polcode freq` (src/wordseg builds jieba with only the dictionary entries the corpus can meet; "
      "the count runs on all cores).")
if ap and ay and ay["median"] < ap["median"]:
    w(f"- **Agreement vs `krippendorff`**: polcode is *slower* ({ap['median'] / ay['median']:.1f}x the Python time). "
      f"Opening the study and both coders' YAML takes {ms(so)} + {ms(v('reopen.all'))} (measured separately); "
      f"`compare()` is {ms(v('agree.compute'))}.")
if len(out) == misses_at:
    w("None in this run: every target above is met, and both side-by-side ratios favour polcode (below).")
w("")

w("## Side by side\n")
w("| task | polcode | Python | ratio (Python / polcode) |")
w("|---|---|---|---|")
if fp and fy:
    w(f"| word frequency, 41 real documents ({(fb or {}).get('bytes', 0) / 1e6:.2f} MB) | median {ms(fp['median'] * 1e3)} "
      f"(n={len(fp['runs'])}) | median {ms(fy['median'] * 1e3)} (n={len(fy['runs'])}) | **{fy['median'] / fp['median']:.1f}x** |")
if fb and fp:
    w(f"| … segmentation only (Python without interpreter start and dictionary load) | whole command {ms(fp['median'] * 1e3)} | "
      f"{ms(fb['cut_s'] * 1e3)} (dictionary load {ms(fb['init_s'] * 1e3)}) | {fb['cut_s'] / fp['median']:.1f}x (polcode's figure includes its start-up) |")
if sp and sg:
    counts = ""
    if len(sc) >= 3 and len(sc[0]) == 3 and len(sc[2]) == 2:
        counts = (f" (polcode with `--all`: {sc[0][0]} hits in {sc[0][1]} paragraphs of {sc[0][2]} documents; "
                  f"grep: {sc[1][0]} hits with `-o`, {sc[2][0]} matching lines in {sc[2][1]} files)")
    w(f"| text search for 区块链, 41 real documents{counts} | `polcode search` median {ms(sp['median'] * 1e3)} (n={len(sp['runs'])}) "
      f"| `grep -c -r` median {ms(sg['median'] * 1e3)} (n={len(sg['runs'])}; not Python: the usual shell baseline) "
      f"| {sg['median'] / sp['median']:.2f}x (grep reads raw files; polcode opens the study and prints every hit in context) |")
if ap and ay:
    w(f"| Krippendorff's α (nominal), 2 coders x 100k paragraphs = {ao.get('ratings', '?') if ao else '?'} ratings, "
      f"{len(ao['nodes']) if ao else '?'} nodes + pooled | median {ms(ap['median'] * 1e3)} (whole `agree`: 5,000 documents read, "
      f"also percent, Cohen, Fleiss and 1,000 bootstrap replicates per α) | median {ms(ay['median'] * 1e3)} (whole script) | **{ay['median'] / ap['median']:.1f}x** |")
if ao and ap:
    comp = R.get("agree.compute", {}).get("p50")
    w(f"| … α computation only | `compare()` {ms(comp) if comp else '—'} (all four coefficients, intervals, disagreement list) | "
      f"{ms(ao['alpha_s'] * 1e3)} (α only; + {ms(ao['load_s'] * 1e3)} loading the matrices) | "
      f"{(ao['alpha_s'] * 1e3 / comp) if comp else float('nan'):.1f}x |")
w("")
if ao:
    d = ao.get("max_abs_diff")
    ok = d is not None and d < 5e-7
    w(f"Agreement values: {ao['compared']} alphas compared (per node + pooled, pooled over {ao['pooled']['units']:,} units); "
      f"largest difference between `krippendorff` and polcode = {d:.2e} → "
      f"{'**agree to 6 decimals**' if ok else '**DO NOT agree to 6 decimals**'}. Pooled α: polcode {ao['pooled']['polcode']:.6f}, "
      f"krippendorff {ao['pooled']['python']:.6f}.\n")
pt = [l.split("\t")[0] for l in read("freq-polcode-top.txt").splitlines() if "\t" not in l and l.strip()]
py_top = [l.split("\t")[0] for l in read("freq-python-top.txt").splitlines() if l.strip()]
if py_top:
    w(f"Python's top 20 words: {' '.join(py_top)}. (polcode's list also drops its stop words and keeps codebook "
      "keywords whole, so the lists differ slightly by design.)\n")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdf_report  # noqa: E402  (the PDF import section, also printed alone by bench/pdf.sh)
pdf = pdf_report.section(RES)
if pdf:
    w(pdf)

w("## Criterion (means with 95% confidence intervals)\n")
w("| benchmark | mean | 95% interval | median |")
w("|---|---|---|---|")
for est in sorted(glob.glob(os.path.join(CRIT, "**", "new", "estimates.json"), recursive=True)):
    base = os.path.dirname(est)
    try:
        with open(os.path.join(base, "benchmark.json"), encoding="utf-8") as f:
            name = json.load(f).get("full_id")
        with open(est, encoding="utf-8") as f:
            e = json.load(f)
    except (OSError, ValueError):
        continue
    if os.path.getmtime(est) < os.path.getmtime(os.path.join(RES, "loadavg-start.txt")):
        continue  # from an earlier run
    m = e["mean"]
    w(f"| {name} | {ms(m['point_estimate'] / 1e6)} | {ms(m['confidence_interval']['lower_bound'] / 1e6)} – "
      f"{ms(m['confidence_interval']['upper_bound'] / 1e6)} | {ms(e['median']['point_estimate'] / 1e6)} |")
w("")
print("\n".join(out))
