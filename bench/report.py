#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vrbench report: ratio table (text + JSON) and gnuplot plots.

   bench/report.py RESULT_DIR [--ascii GROUP]

Reads RESULT_DIR/results.csv and meta.json (written by bench/guest.py) and
writes ratios.txt, ratios.json, plot data (data/*.dat) and one PNG per plot
group (plot= in bench/configs.txt). Every ratio comes from numbers measured
in this one run; a ratio whose inputs are missing or FAILED is printed as
such, never estimated.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (label, numerator config, denominator config, what): peak = peak
# forwarded rate, cpu = worker CPU ns per forwarded packet at the peak.
RATIOS = [
    ("split/stock peak (monolithic)", "split-mono", "stock-mono", "peak"),
    ("PVR rr 2 routers / split monolithic peak", "pvr-rr2", "split-mono",
     "peak"),
    ("PVR rr 3 routers / split monolithic peak", "pvr-rr3", "split-mono",
     "peak"),
    ("PVR rr 3 routers / stock monolithic peak", "pvr-rr3", "stock-mono",
     "peak"),
    ("PVR hash, 1 flow, 3 routers / PVR rr 3 routers peak", "pvr-hash3",
     "pvr-rr3", "peak"),
    ("placement: separate / shared CPU peak", "place-sep", "place-shared",
     "peak"),
    ("worker CPU per packet split/stock", "split-mono", "stock-mono", "cpu"),
    ("router CPU per packet split/stock", "split-mono", "stock-mono",
     "rcpu"),
]

# Adaptive queue length (issue 7): the adaptive configuration against the
# static limits, for a monolithic router and a 3-router PVR. Printed when
# the adaptive configuration is in the run.
ADAPTIVE = [
    ("monolithic", "adaptive-mono",
     ["limit-35", "limit-50", "limit-110", "limit-500"], "limit-500"),
    ("3-router PVR", "adaptive-pvr3",
     ["pvr3-limit-35", "pvr3-limit-50", "pvr3-limit-110", "pvr3-limit-500"],
     "pvr3-limit-500"),
]

TITLES = {
    "mono": "Monolithic router: stock vhost-net vs vhost_split",
    "pvr": "Parallel Virtual Routers (macvtap_mq) vs monolithic",
    "qlimit": "Queue limit under overload (1 router, macvtap_mq)",
    "qlimit3": "Queue limit under overload (3-router PVR, macvtap_mq rr)",
    "place": "Worker placement via vr_sched rules",
    "demo": "make demo: 3-router PVR (macvtap_mq rr + vhost_split)",
}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def load(d):
    with open(os.path.join(d, "results.csv")) as f:
        rows = list(csv.DictReader(f))
    meta = {}
    try:
        with open(os.path.join(d, "meta.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        pass
    return rows, meta


def summarize(rows, meta):
    """Per configuration: points, peak, overload ratios, or FAILED."""
    order = [c["name"] for c in meta.get("configs", [])]
    for r in rows:
        if r["config"] not in order:
            order.append(r["config"])
    out = {}
    for name in order:
        mine = [r for r in rows if r["config"] == name]
        s = {"name": name, "status": "ok", "reason": "", "points": []}
        bad = [r for r in mine if r["status"] not in ("ok", "void")]
        s["void_points"] = sum(r["status"] == "void" for r in mine)
        mine = [r for r in mine if r["status"] == "ok"]
        if not mine:
            s["status"] = "FAILED"
            s["reason"] = bad[0]["note"] if bad else "no valid point"
            out[name] = s
            continue
        if bad:
            # Measured points stay valid; the run stopped early.
            s["status"] = "partial"
            s["reason"] = "stopped after %d points: %s" % (len(mine),
                                                          bad[0]["note"])
        pts = sorted(((num(r["offered_pps"]), num(r["forwarded_pps"]), r)
                      for r in mine), key=lambda p: p[0])
        s["points"] = pts
        peak = max(pts, key=lambda p: p[1])
        s["peak_pps"] = peak[1]
        s["peak_offered_pps"] = peak[0]
        s["worker_ns_per_pkt"] = num(peak[2].get("worker_ns_per_pkt"))
        s["router_ns_per_pkt"] = num(peak[2].get("router_ns_per_pkt"))
        for mult in (2, 3):
            s["at%dx" % mult] = at_load(pts, mult * peak[1], mult)
        out[name] = s
    return out


def at_load(pts, load, mult):
    """Forwarded rate measured at `load` offered: the overload point if
    one was run there, else the nearest measured point within 15 %, else
    None (never extrapolated)."""
    best = None
    for off, fwd, r in pts:
        if r["phase"] == "overload%d" % mult:
            return {"offered_pps": off, "forwarded_pps": fwd}
        if off and abs(off - load) <= 0.15 * load:
            if best is None or abs(off - load) < abs(best[0] - load):
                best = (off, fwd)
    if best:
        return {"offered_pps": best[0], "forwarded_pps": best[1]}
    return None


def ratio_table(summ):
    res = []
    for label, a, b, what in RATIOS:
        sa, sb = summ.get(a), summ.get(b)
        e = {"ratio": label, "numerator": a, "denominator": b}
        key = {"peak": "peak_pps", "cpu": "worker_ns_per_pkt",
               "rcpu": "router_ns_per_pkt"}[what]
        if not sa or not sb:
            e["value"] = None
            e["why"] = "not measured in this run"
        elif "FAILED" in (sa["status"], sb["status"]):
            e["value"] = None
            e["why"] = "FAILED: %s" % (a if sa["status"] == "FAILED" else b)
        elif not sa.get(key) or not sb.get(key):
            e["value"] = None
            e["why"] = "no %s measured" % key
        else:
            e["value"] = round(sa[key] / sb[key], 3)
            e["numerator_value"] = sa[key]
            e["denominator_value"] = sb[key]
            part = [n for n, x in ((a, sa), (b, sb)) if x["status"] != "ok"]
            if part:
                e["why"] = "partial: %s" % ",".join(part)
        res.append(e)
    return res


def adaptive_ratios(summ):
    """Issue 7: adaptive peak / best static peak, and forwarded at 2x and
    3x the saturation load / peak for adaptive and the 500 limit."""
    res = []
    for what, ada, statics, big in ADAPTIVE:
        sa = summ.get(ada)
        if not sa:
            continue

        def entry(label, target, num=None, den=None, why=None):
            e = {"ratio": label, "numerator": ada, "target": target,
                 "value": None}
            if why:
                e["why"] = why
            elif num is not None and den:
                e["value"] = round(num / den, 3)
                e["numerator_value"] = num
                e["denominator_value"] = den
            else:
                e["why"] = "not measured"
            return e

        def usable(s):
            return s and s["status"] != "FAILED" and s.get("peak_pps")
        peaks = {n: summ[n]["peak_pps"] for n in statics
                 if usable(summ.get(n))}
        missing = [n for n in statics if n not in peaks]
        label = "%s: adaptive peak / best static peak" % what
        if not usable(sa):
            res.append(entry(label, ">= 1.00", why="FAILED: " + ada))
        elif not peaks:
            res.append(entry(label, ">= 1.00",
                             why="no static limit measured"))
        else:
            best = max(peaks, key=peaks.get)
            e = entry(label + " (%s)" % best, ">= 1.00", sa["peak_pps"],
                      peaks[best])
            e["denominator"] = best
            if missing:
                e["why"] = "without %s" % ",".join(missing)
            res.append(e)
        for name in (ada, big):
            s = summ.get(name)
            for mult in (2, 3):
                label = "%s: %s at %dx saturation / its peak" % (
                    what, name, mult)
                tgt = ">= 0.97" if name == ada else ""
                if not usable(s):
                    res.append(entry(label, tgt, why="not measured" if not s
                                     else "FAILED: " + name))
                    continue
                at = s.get("at%dx" % mult)
                e = entry(label, tgt, at["forwarded_pps"] if at else None,
                          s["peak_pps"])
                e["numerator"] = e["denominator"] = name
                if not at:
                    e["why"] = "no point at %dx" % mult
                res.append(e)
    for e in res:
        if e["value"] is not None and e.get("why"):
            e["why"] = "partial: " + e["why"]
    return res


def fmt_k(v):
    return "%.1f" % (v / 1000) if v is not None else "-"


def text_report(summ, ratios, meta):
    L = []
    L.append("vrbench results (kernel %s, %s vCPUs, mode %s, %s)" % (
        meta.get("kernel", "?"), meta.get("cpus", "?"), meta.get("mode", "?"),
        meta.get("started", "?")))
    L.append("NOTE: %s." % meta.get("caveat", "routers are a userspace "
                                    "stand-in for router VMs"))
    L.append("")
    L.append("%-14s %9s %9s %9s %9s %10s %10s  %s" % (
        "configuration", "peak", "@offered", "2x/peak", "3x/peak",
        "worker", "router", ""))
    L.append("%-14s %9s %9s %9s %9s %10s %10s" % (
        "", "kpps", "kpps", "", "", "ns/pkt", "ns/pkt"))
    notes = []
    for s in summ.values():
        if s["status"] == "FAILED":
            L.append("%-14s FAILED: %s" % (s["name"], s["reason"]))
            continue
        if s["status"] == "partial":
            notes.append("%s: %s" % (s["name"], s["reason"]))
        if s.get("void_points"):
            notes.append("%s: %d void point(s) (a router stopped inside the "
                         "window) left out" % (s["name"], s["void_points"]))

        def rel(k):
            a = s.get(k)
            if not a or not s["peak_pps"]:
                return "n/a"
            return "%.2f" % (a["forwarded_pps"] / s["peak_pps"])
        L.append("%-14s %9s %9s %9s %9s %10s %10s" % (
            s["name"], fmt_k(s["peak_pps"]), fmt_k(s["peak_offered_pps"]),
            rel("at2x"), rel("at3x"),
            "%.0f" % s["worker_ns_per_pkt"] if s["worker_ns_per_pkt"]
            else "-",
            "%.0f" % s["router_ns_per_pkt"] if s["router_ns_per_pkt"]
            else "-"))
    for n in notes:
        L.append("  * " + n)
    L.append("")
    L.append("2x/peak, 3x/peak: forwarded rate at 2x and 3x the "
             "configuration's saturation load, relative to its peak.")
    L.append("ns/pkt: CPU time of the vhost worker threads / of the router "
             "processes per forwarded packet, at the peak point.")
    L.append("")
    L.append("Ratios (same run):")
    for e in ratios:
        v = "%.2f" % e["value"] if e["value"] is not None else e["why"]
        if e["value"] is not None and e.get("why"):
            v += " (%s)" % e["why"]
        if e.get("target"):
            v += "   [target %s]" % e["target"]
        L.append("  %-64s %s" % (e["ratio"], v))
    stalls = meta.get("stalls") or []
    if stalls:
        L.append("")
        L.append("Router stalls (point measured again with a longer router "
                 "idle time, or void after %d tries): %d" % (3, len(stalls)))
        for x in stalls:
            L.append("  - " + x)
    return "\n".join(L) + "\n"


def rst_report(summ, ratios, meta):
    """The same tables as reStructuredText, for Documentation/."""
    L = [".. measured %s, kernel %s, mode %s" % (
        meta.get("started", "?"), meta.get("kernel", "?"),
        meta.get("mode", "?")), ""]
    hdr = ["configuration", "peak kpps", "at offered kpps", "2x / peak",
           "3x / peak", "worker ns/pkt", "router ns/pkt"]
    rows = []
    for s in summ.values():
        if s["status"] == "FAILED":
            rows.append([s["name"], "FAILED: " + s["reason"]] +
                        [""] * (len(hdr) - 2))
            continue

        def rel(k):
            a = s.get(k)
            if not a or not s["peak_pps"]:
                return "n/a"
            return "%.2f" % (a["forwarded_pps"] / s["peak_pps"])
        rows.append([s["name"], fmt_k(s["peak_pps"]),
                     fmt_k(s["peak_offered_pps"]), rel("at2x"), rel("at3x"),
                     "%.0f" % s["worker_ns_per_pkt"]
                     if s["worker_ns_per_pkt"] else "-",
                     "%.0f" % s["router_ns_per_pkt"]
                     if s["router_ns_per_pkt"] else "-"])
    L += rst_table(hdr, rows)
    for s in summ.values():
        if s["status"] == "partial":
            L.append("")
            L.append("* ``%s``: %s" % (s["name"], s["reason"]))
        if s.get("void_points"):
            L.append("")
            L.append("* ``%s``: %d void point(s) left out (a router stopped "
                     "inside the window)" % (s["name"], s["void_points"]))
    L.append("")
    rows = [[e["ratio"], ("%.2f" % e["value"] +
                          (" (%s)" % e["why"] if e.get("why") else ""))
             if e["value"] is not None else e["why"], e.get("target", "")]
            for e in ratios]
    L += rst_table(["ratio (same run)", "value", "target"], rows)
    return "\n".join(L) + "\n"


def rst_table(hdr, rows):
    w = [max(len(str(r[i])) for r in [hdr] + rows) for i in range(len(hdr))]
    sep = " ".join("=" * n for n in w)

    def line(r):
        return " ".join(str(c).ljust(n) for c, n in zip(r, w)).rstrip()
    return [sep, line(hdr), sep] + [line(r) for r in rows] + [sep]


def write_data(d, summ):
    dd = os.path.join(d, "data")
    os.makedirs(dd, exist_ok=True)
    files = {}
    for s in summ.values():
        if s["status"] == "FAILED":
            continue
        p = os.path.join(dd, s["name"] + ".dat")
        with open(p, "w") as f:
            f.write("# offered_pps forwarded_pps worker_ns_per_pkt "
                    "router_ns_per_pkt\n")
            for off, fwd, r in s["points"]:
                f.write("%s %s %s %s\n" % (
                    off, fwd, r.get("worker_ns_per_pkt") or "NaN",
                    r.get("router_ns_per_pkt") or "NaN"))
        files[s["name"]] = p
    return files


def gnuplot(term, out, title, files, names, extra=""):
    if not shutil.which("gnuplot"):
        return "gnuplot not installed"
    # ttl in double quotes: gnuplot turns its \\n into a line break
    e = ("term='%s'; out='%s'; ttl=\"%s\"; files='%s'; names='%s'; %s" % (
        term, out, title.replace('"', ""), " ".join(files), " ".join(names),
        extra))
    p = subprocess.run(["gnuplot", "-e", e, os.path.join(HERE, "plot.gp")],
                       capture_output=True, text=True)
    if p.returncode:
        return p.stderr.strip()
    return p.stdout if term == "dumb" else ""


def png_term():
    p = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True,
                       text=True)
    txt = p.stdout + p.stderr
    return "pngcairo" if "pngcairo" in txt else "png"


def plots(d, summ, meta, files):
    groups = {}
    for c in meta.get("configs", []):
        for g in c.get("plot", []):
            groups.setdefault(g, []).append(c["name"])
    made, errs = [], []
    if not shutil.which("gnuplot"):
        return made, ["gnuplot not installed: no plots"]
    term = png_term()
    sub = "routers: userspace stand-in for router VMs; TCG: compare ratios"
    for g, names in groups.items():
        names = [n for n in names if n in files]
        if not names:
            continue
        out = os.path.join(d, g + ".png")
        err = gnuplot(term, out, "%s\\n%s (%s)" % (
            TITLES.get(g, g), sub, meta.get("kernel", "?")),
            [files[n] for n in names], names)
        (errs.append("%s: %s" % (g, err)) if err else made.append(out))
    # CPU per packet of the vhost workers, monolithic configurations.
    names = [n for n in groups.get("mono", []) if n in files]
    if names:
        out = os.path.join(d, "cpu.png")
        err = gnuplot(term, out, "vhost worker CPU per forwarded packet\\n"
                      + sub, [files[n] for n in names], names,
                      "ycol=3; yscale=1.0; ylab='worker CPU (ns/packet)'")
        (errs.append("cpu: %s" % err) if err else made.append(out))
    return made, errs


def demo(d):
    rows, meta = load(d)
    summ = summarize(rows, meta)
    print("%-10s %12s %14s %9s %12s %10s" % (
        "config", "offered pps", "forwarded pps", "ratio", "worker ns/pkt",
        "delivered"))
    for r in rows:
        if r["status"] != "ok":
            print("%-10s %s: %s" % (r["config"], r["status"], r["note"]))
            continue
        off, fwd = num(r.get("total_offered")), num(r.get("total_forwarded"))
        print("%-10s %12.0f %14.0f %8.0f%% %12s %9s" % (
            r["config"], num(r["offered_pps"]), num(r["forwarded_pps"]),
            100 * num(r["fwd_ratio"]), r["worker_ns_per_pkt"] or "-",
            "%.0f%%" % (100 * fwd / off) if off and fwd is not None
            else "-"))
    print("ratio: over the measurement window (frames in flight at its "
          "ends make it\nwobble); delivered: every frame pktgen sent during "
          "the point vs what reached\nthe sink.")
    files = write_data(d, summ)
    if not files:
        return 1
    made, errs = plots(d, summ, meta, files)
    names = list(files)
    txt = gnuplot("dumb", "", TITLES["demo"], [files[n] for n in names],
                  names)
    print(txt)
    for m in made:
        print("plot: %s" % m)
    for e in errs:
        print("plot error: %s" % e)
    failed = [s["name"] for s in summ.values() if s["status"] != "ok"]
    return 1 if failed or errs or not made else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--ascii", metavar="GROUP",
                    help="also draw this plot group as text on stdout")
    ap.add_argument("--demo", action="store_true",
                    help="make demo: the points, a text plot and demo.png")
    a = ap.parse_args()
    if a.demo:
        return demo(a.dir)
    rows, meta = load(a.dir)
    summ = summarize(rows, meta)
    ratios = ratio_table(summ) + adaptive_ratios(summ)
    txt = text_report(summ, ratios, meta)
    with open(os.path.join(a.dir, "ratios.txt"), "w") as f:
        f.write(txt)
    with open(os.path.join(a.dir, "ratios.rst"), "w") as f:
        f.write(rst_report(summ, ratios, meta))
    js = {"kernel": meta.get("kernel"), "mode": meta.get("mode"),
          "caveat": meta.get("caveat"), "ratios": ratios,
          "configurations": [
              {k: v for k, v in s.items() if k != "points"}
              for s in summ.values()]}
    with open(os.path.join(a.dir, "ratios.json"), "w") as f:
        json.dump(js, f, indent=1)
    files = write_data(a.dir, summ)
    made, errs = plots(a.dir, summ, meta, files)
    sys.stdout.write(txt)
    for m in made:
        print("plot: %s" % m)
    for e in errs:
        print("plot error: %s" % e)
    if a.ascii:
        names = [c["name"] for c in meta.get("configs", [])
                 if a.ascii in c.get("plot", []) and c["name"] in files]
        if names:
            print(gnuplot("dumb", "", TITLES.get(a.ascii, a.ascii),
                          [files[n] for n in names], names))
    failed = [s["name"] for s in summ.values() if s["status"] != "ok"]
    return 1 if failed or errs else 0


if __name__ == "__main__":
    sys.exit(main())
