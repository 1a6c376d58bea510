"""Independent agreement figures for tests/agree_oracle.rs.

Reads a JSON list of cases from the file named on the command line; each case is a study laid
out plainly: the codebook (id, parent, scale levels), the body paragraph ids in order, and per
coder the decisions (paragraph id -> nodes, no_code, scores). Builds the rating matrices itself
(rated = decided: nodes or an explicit no-code; else missing; a node's rating is 1 when coded at
it or a descendant) and computes every figure with the reference packages:

- Krippendorff's alpha: `krippendorff.alpha` (nominal on codes, ordinal and interval on scores)
- Cohen's kappa (two coders, units both rated): `sklearn.metrics.cohen_kappa_score`, also
  weighted (linear, quadratic) on the scale's levels
- Fleiss' kappa (units every coder rated): `statsmodels.stats.inter_rater.fleiss_kappa`
- percent agreement: per unit the share of agreeing coder pairs, averaged (by hand)

Prints a JSON list of results (null = undefined), one object per case.
"""
import json
import math
import sys
import warnings

import numpy as np
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

warnings.filterwarnings("ignore")


def finite(x):
    x = float(x)
    return x if math.isfinite(x) else None


def alpha(m, level):
    m = np.asarray(m, dtype=float)
    pairable = (~np.isnan(m)).sum(axis=0) >= 2
    if m.size == 0 or pairable.sum() == 0:
        return None
    vals = np.unique(m[:, pairable][~np.isnan(m[:, pairable])])
    if len(vals) < 2:
        return None  # the package raises: no variation, alpha undefined
    try:
        return finite(krippendorff.alpha(reliability_data=m, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return None


def cohen(a, b, labels=None, weights=None):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = ~np.isnan(a) & ~np.isnan(b)
    if both.sum() == 0:
        return None
    x, y = a[both], b[both]
    if labels is None and len(np.unique(np.concatenate([x, y]))) < 2:
        return None
    return finite(cohen_kappa_score(x, y, labels=labels, weights=weights))


def fleiss(m):
    m = np.asarray(m, dtype=float)
    if m.shape[0] < 2:
        return None
    complete = ~np.isnan(m).any(axis=0)
    if complete.sum() == 0:
        return None
    table, _ = aggregate_raters(m[:, complete].T)
    try:
        return finite(fleiss_kappa(table, method="fleiss"))
    except ZeroDivisionError:
        return None


def percent(m):
    m = np.asarray(m, dtype=float)
    shares = []
    for u in range(m.shape[1]):
        vals = [v for v in m[:, u] if not np.isnan(v)]
        if len(vals) < 2:
            continue
        pairs = agree = 0
        for i in range(len(vals)):
            for j in range(i + 1, len(vals)):
                pairs += 1
                agree += vals[i] == vals[j]
        shares.append(agree / pairs)
    return None if not shares else float(np.mean(shares))


def pairable(m):
    m = np.asarray(m, dtype=float)
    return int(((~np.isnan(m)).sum(axis=0) >= 2).sum()) if m.size else 0


def complete(m):
    m = np.asarray(m, dtype=float)
    return int((~np.isnan(m)).all(axis=0).sum()) if m.size and m.shape[0] >= 2 else 0


def run(case):
    nodes = case["nodes"]
    ids = [n["id"] for n in nodes]
    parent = {n["id"]: n["parent"] for n in nodes}
    leaves = [i for i in ids if not any(parent[j] == i for j in ids)]
    paras = case["paragraphs"]
    coders = case["coders"]

    def closure(codes):
        out = set()
        for c in codes:
            while c is not None and c in parent:
                out.add(c)
                c = parent[c]
        return out

    decided = []  # per coder, per paragraph: None or (closure, scores)
    for c in coders:
        row = []
        for p in paras:
            d = case["decisions"][c].get(p)
            if d is None or not (d["nodes"] or d["no_code"]):
                row.append(None)
            else:
                row.append((closure(d["nodes"]), d["scores"]))
        decided.append(row)

    def binary(node):
        return [[np.nan if r is None else float(node in r[0]) for r in row] for row in decided]

    def figures(m):
        out = {
            "units": pairable(m),
            "units_all_rated": complete(m),
            "percent_agreement": None if percent(m) is None else 100.0 * percent(m),
            "fleiss_kappa": fleiss(m),
            "alpha": alpha(m, "nominal"),
        }
        if len(coders) == 2:
            out["cohen_kappa"] = cohen(m[0], m[1])
        return out

    res = {"nodes": {}, "scores": {}, "scores_pooled": {}}
    for i in ids:
        res["nodes"][i] = figures(binary(i))
    res["pooled"] = figures(np.hstack([np.asarray(binary(i)) for i in leaves]))

    def score_matrix(node):
        return [[np.nan if r is None or node not in r[1] else float(r[1][node]) for r in row]
                for row in decided]

    def score_figures(m, levels):
        m = np.asarray(m, dtype=float)
        out = {
            "units": pairable(m),
            "alpha_ordinal": alpha(m, "ordinal"),
            "alpha_interval": alpha(m, "interval"),
        }
        if len(coders) == 2:
            out["kappa_linear"] = cohen(m[0], m[1], labels=levels, weights="linear")
            out["kappa_quadratic"] = cohen(m[0], m[1], labels=levels, weights="quadratic")
        return out

    scales = {}
    for n in nodes:
        if n["levels"]:
            res["scores"][n["id"]] = score_figures(score_matrix(n["id"]), n["levels"])
            scales.setdefault(tuple(n["levels"]), []).append(n["id"])
    for levels, ns in scales.items():
        m = np.hstack([np.asarray(score_matrix(i), dtype=float) for i in ns])
        res["scores_pooled"][",".join(str(v) for v in levels)] = score_figures(m, list(levels))
    return res


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    out = [run(c) for c in cases]
    versions = {
        "krippendorff": getattr(krippendorff, "__version__", "?"),
        "numpy": np.__version__,
    }
    print(json.dumps({"results": out, "versions": versions}))


if __name__ == "__main__":
    main()
