"""Krippendorff's alpha with the `krippendorff` package on the rating matrices written by
`polcode-benchdata --study DIR --ratings FILE` (the same 0/1/missing ratings `polcode agree` uses).

Usage: agree.py RATINGS. Prints one JSON object: per node and pooled, the package's alpha, the
alpha polcode computed, and the largest absolute difference; plus the compute time.
"""
import json
import sys
import time

t0 = time.perf_counter()
import krippendorff  # noqa: E402
import numpy as np  # noqa: E402

t_import = time.perf_counter() - t0
t1 = time.perf_counter()
nodes = []  # (id, leaf, polcode alpha, matrix)
pooled_polcode = None
with open(sys.argv[1], encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split("\t")
    k = len(header) - 1
    while True:
        line = f.readline()
        if not line:
            break
        parts = line.rstrip("\n").split("\t")
        if parts[0] == "pooled":
            pooled_polcode = float(parts[1])
            continue
        rows = []
        for _ in range(k):
            b = np.frombuffer(f.readline().rstrip("\n").encode("ascii"), dtype=np.uint8)
            r = np.where(b == ord("."), np.nan, (b == ord("1")).astype(float))
            rows.append(r)
        nodes.append((parts[1], parts[2] == "1", float(parts[3]), np.vstack(rows)))
t_load = time.perf_counter() - t1


def alpha(m):
    try:
        return float(krippendorff.alpha(reliability_data=m, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return float("nan")


t2 = time.perf_counter()
out = {"nodes": []}
for nid, leaf, pc, m in nodes:
    out["nodes"].append({"id": nid, "python": alpha(m), "polcode": pc})
pooled = np.hstack([m for _, leaf, _, m in nodes if leaf])
out["pooled"] = {"python": alpha(pooled), "polcode": pooled_polcode, "units": int(pooled.shape[1])}
t_alpha = time.perf_counter() - t2
diffs = [abs(r["python"] - r["polcode"]) for r in out["nodes"] + [out["pooled"]]
         if r["python"] == r["python"] and r["polcode"] == r["polcode"]]
out.update({
    "max_abs_diff": max(diffs) if diffs else None,
    "compared": len(diffs),
    "ratings": int(sum((~np.isnan(m)).sum() for _, _, _, m in nodes[:1])),
    "import_s": t_import,
    "load_s": t_load,
    "alpha_s": t_alpha,
    "krippendorff": getattr(krippendorff, "__version__", "?"),
    "numpy": np.__version__,
})
print(json.dumps(out))
