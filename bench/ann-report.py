#!/usr/bin/python3
"""Headline table of an ANN results file (the peers' JSON-lines schema, shared/bench/ann/README.md).

  /usr/bin/python3 bench/ann-report.py RESULTS.jsonl [--grape INDEX]

Per dataset and library: serial (1 query/call, 1 thread) and batch QPS at the smallest ef whose batch recall@10 reaches
0.95 and 0.99, build time on 1 and 2 threads, memory, and Grape's ratio to each peer. Then the same rows as JSON lines
({"bench":"ann",...}) for run-to-run comparison. When a file holds several runs of one index (bench/ann-vs-peers.sh
--rounds N), every figure is the median over the runs: build time per thread count, and QPS and recall per mode and ef;
the ratios of each round on its own are listed under the targets. Standard library only.
"""
import json
import statistics
import sys

TARGETS = (0.95, 0.99)


def load(path):
    """(dataset, index) -> [records of one run, ...] in the order the runs were written."""
    by = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if r.get("kind") not in ("build", "search"):
            continue
        key = (r["dataset"], r["index"])
        runs = by.setdefault(key, {})
        runs.setdefault(r.get("run_id", ""), []).append(r)
    return {k: list(runs.values()) for k, runs in by.items()}  # dicts keep insertion order


def combine(runs):
    """One run's records, or for several runs one set of records holding the median of each figure."""
    if len(runs) == 1:
        return runs[0]
    out = []
    builds = [r for recs in runs for r in recs if r["kind"] == "build"]
    if builds:
        b = dict(builds[0])
        b["build_s"] = {t: statistics.median(x["build_s"][t] for x in builds if t in x.get("build_s", {}))
                        for t in builds[0].get("build_s", {})}
        for f in ("rss_delta_mb", "index_bytes"):
            vals = [x[f] for x in builds if x.get(f) is not None]
            if vals:
                b[f] = statistics.median(vals)
        out.append(b)
    groups = {}
    for recs in runs:
        for r in recs:
            if r["kind"] == "search":
                groups.setdefault((r["mode"], r["params"].get("ef", 0)), []).append(r)
    for rs in groups.values():
        m = dict(rs[0])
        m["qps"] = statistics.median(r["qps"] for r in rs)
        m["recall"] = statistics.median(r["recall"] for r in rs)
        m["rounds"] = len(rs)
        out.append(m)
    return out


def headline(recs, target):
    """Smallest ef whose batch recall >= target -> dict(ef, recall, serial, batch), as peers.py picks it."""
    batch = sorted((r for r in recs if r["kind"] == "search" and r["mode"] == "batch"), key=lambda r: r["params"].get("ef", 0))
    for b in batch:
        if b["recall"] >= target:
            ef = b["params"].get("ef", 0)
            s = [r for r in recs if r["kind"] == "search" and r["mode"] == "serial" and r["params"].get("ef", 0) == ef]
            return {"ef": ef, "recall": b["recall"], "serial": s[0]["qps"] if s else None, "batch": b["qps"]}
    return None


def summarise(recs):
    b = next((r for r in recs if r["kind"] == "build"), {})
    bs = b.get("build_s", {})
    row = {"engine": recs[0].get("engine"), "indexed": b.get("params", {}).get("indexed", True),
           "build_1t_s": bs.get("1"), "build_2t_s": bs.get(max(bs, key=int)) if bs else None, "rss_delta_mb": b.get("rss_delta_mb"),
           "index_mb": round(b["index_bytes"] / 2**20, 1) if "index_bytes" in b else None}
    for t in TARGETS:
        h = headline(recs, t)
        tag = f"{int(t * 100):03d}"
        for f in ("ef", "recall", "serial", "batch"):
            row[f"{f}_{tag}"] = h[f] if h else None
    return row


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def fmt(x, nd=0):
    return "-" if x is None else f"{x:,.{nd}f}"


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    path = args[0]
    grape_pick = args[args.index("--grape") + 1] if "--grape" in args else None
    runs_by = load(path)
    by = {k: combine(runs) for k, runs in runs_by.items()}
    out_json = []
    for ds in sorted({k[0] for k in by}):
        rows = {idx: summarise(recs) for (d, idx), recs in by.items() if d == ds}
        grapes = [i for i, r in rows.items() if r["engine"] == "grape" and (grape_pick is None or i == grape_pick)]
        g = rows[grapes[-1]] if grapes else None
        rounds = max((len(runs) for (d, _), runs in runs_by.items() if d == ds), default=1)
        print(f"\n## {ds}\n")
        if rounds > 1:
            print(f"Each figure is the median over the runs of that library ({rounds} rounds for the most-run ones).\n")
        print("QPS at the smallest ef whose recall@10 (batch, all queries) reaches the target; serial = 1 query per call on 1 thread.")
        print("Grape ×: Grape's serial QPS / the row's (> 1: Grape faster) at each target; build ×: Grape's all-thread (2 here) build time / the row's (< 1: Grape faster).\n")
        print("| library | ef@0.95 | recall | serial QPS | batch QPS | ef@0.99 | recall | serial QPS | batch QPS "
              "| build 1t (s) | build all t (s) | RSS Δ (MB) | index (MB) | Grape × @0.95 | Grape × @0.99 | build × |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for idx, r in rows.items():
            rec = {"bench": "ann", "dataset": ds, "index": idx, **r}
            if g is not None and r is not g:
                rec["grape_serial_ratio_095"] = ratio(g["serial_095"], r["serial_095"])
                rec["grape_serial_ratio_099"] = ratio(g["serial_099"], r["serial_099"])
                rec["grape_batch_ratio_095"] = ratio(g["batch_095"], r["batch_095"])
                rec["grape_build_ratio_2t"] = ratio(g["build_2t_s"], r["build_2t_s"])
            name = idx + ("" if r["indexed"] else " (no HNSW: exact scan)")
            cells = [name]
            for tag in ("095", "099"):
                ef = r[f"ef_{tag}"]
                cells += ["not reached", "-", "-", "-"] if ef is None else [
                    str(ef or "exact"), f"{r[f'recall_{tag}']:.4f}", fmt(r[f"serial_{tag}"]), fmt(r[f"batch_{tag}"])]
            cells += [fmt(r["build_1t_s"], 2), fmt(r["build_2t_s"], 2), fmt(r["rss_delta_mb"], 1), fmt(r["index_mb"], 1)]
            cells += [fmt(rec.get("grape_serial_ratio_095"), 2), fmt(rec.get("grape_serial_ratio_099"), 2), fmt(rec.get("grape_build_ratio_2t"), 2)]
            print("| " + " | ".join(cells) + " |")
            out_json.append(rec)
        native = next((i for i, r in rows.items() if r["engine"] == "hnswlib-native"), None)
        if g is not None and native is not None:
            n = rows[native]
            goals = [("serial QPS @0.95 >= 1.2 x hnswlib-native", ratio(g["serial_095"], n["serial_095"]), lambda x: x >= 1.2),
                     ("serial QPS @0.99 >= 1.2 x hnswlib-native", ratio(g["serial_099"], n["serial_099"]), lambda x: x >= 1.2),
                     ("build 2t <= hnswlib-native's", ratio(g["build_2t_s"], n["build_2t_s"]), lambda x: x <= 1.0)]
            print("\nissue 6 targets (Grape vs " + native + "):")
            per_round = list(zip(runs_by[(ds, grapes[-1])], runs_by[(ds, native)]))
            for i, (what, x, ok) in enumerate(goals):
                verdict = "n/a (no HNSW index)" if not g["indexed"] else "met" if x is not None and ok(x) else "MISSED"
                rounds_note = ""
                if len(per_round) > 1:
                    key = ("serial_095", "serial_099", "build_2t_s")[i]
                    each = [ratio(summarise(gr)[key], summarise(nr)[key]) for gr, nr in per_round]
                    rounds_note = " (each round: " + ", ".join("-" if e is None else f"{e:.2f}" for e in each) + ")"
                print(f"- {what}: {'-' if x is None else f'{x:.2f} x'} {verdict}{rounds_note}")
            gr = {r["params"].get("ef"): r["recall"] for r in by[(ds, grapes[-1])] if r["kind"] == "search" and r["mode"] == "batch"}
            nr = {r["params"].get("ef"): r["recall"] for r in by[(ds, native)] if r["kind"] == "search" and r["mode"] == "batch"}
            below = [(ef, gr[ef], nr[ef]) for ef in sorted(set(gr) & set(nr)) if gr[ef] < nr[ef]]
            print("- recall never below hnswlib-native's at the same ef: " + (
                "n/a (no HNSW index)" if not g["indexed"] else "met" if not below else "MISSED at " + ", ".join(f"ef {e} ({a:.4f} < {b:.4f})" for e, a, b in below)))
            if not g["indexed"]:
                print("  (Grape has no HNSW index yet: its searches are exact scans, so these ratios compare a flat scan with graphs)")
    print()
    for rec in out_json:
        print(json.dumps(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
