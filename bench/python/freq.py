"""Plain Python word count with jieba: what a researcher would write instead of `polcode freq`.

Usage: freq.py DOCS_DIR [TOP]. Prints the top words (length >= 2, Chinese) and, on stderr, a
JSON line with the time spent on loading jieba's dictionary and on cutting.
"""
import collections
import json
import pathlib
import re
import sys
import time

t0 = time.perf_counter()
import jieba  # noqa: E402

jieba.setLogLevel(60)
jieba.initialize()
t_init = time.perf_counter() - t0

docs = sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 50
han = re.compile(r"^[\u4e00-\u9fff]{2,}$")
t1 = time.perf_counter()
counts = collections.Counter()
nbytes = 0
for p in docs:
    text = p.read_text(encoding="utf-8-sig")
    nbytes += len(text.encode("utf-8"))
    counts.update(w for w in jieba.cut(text) if han.match(w))
t_cut = time.perf_counter() - t1
for w, n in counts.most_common(top):
    print(f"{w}\t{n}")
print(json.dumps({"init_s": t_init, "cut_s": t_cut, "bytes": nbytes, "docs": len(docs)}), file=sys.stderr)
