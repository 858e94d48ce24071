#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vrbench, guest side: forwarded vs offered packet rate, stock vs pvr.

Runs as root inside the test VM (scripts/vm.sh) with the pvr modules loaded.
Creates a private network namespace and, per configuration of
bench/configs.txt, this topology (all veths and links in the namespace):

   pktgen --> gen0 ==veth== gen1 --> in0 (macvtap | macvtap_mq)
                                      | queue 0 ... queue N-1: /dev/tap<in0>,
                                      v  opened once per router
                             router 0 ... router N-1   (vnetdrv forward:
                                      |   DMAC rewrite, TTL--, csum update)
                                      v  /dev/tap<eg0>, one queue per router
                   sink0 ==veth== out0 <-- eg0 (stock macvtap)
                     ^ counts forwarded frames

Each router is `vnetdrv forward` (selftests/vhost_split): a userspace
virtio-net driver driving two vhost devices (vhost-net or vhost-split),
standing in for a router VM. It is NOT a VM: no vCPU, no guest kernel.

Per offered rate: start the routers, start pktgen (64-byte frames, 60 bytes
plus FCS, one UDP flow, rate-controlled), let it settle, then count over a
measurement window: offered (gen0 tx + tx_dropped), forwarded (sink0 rx),
drops by location, CPU time of the vhost worker threads and of the routers.

Output: progress lines on stdout, results.csv and meta.json in --out.
"""

import argparse
import csv
import json
import math
import os
import select
import shutil
import signal
import stat as stat_mod
import subprocess
import sys
import tempfile
import time

CAVEAT = ("routers are vnetdrv forward processes, a userspace stand-in for "
          "router VMs; under TCG only ratios within one run mean anything")

PG = "/proc/net/pktgen"
GEN_TX, GEN_RX = "gen0", "gen1"
OUT_TX, SINK = "out0", "sink0"
ING, EGR = "in0", "eg0"
ING_MAC = "02:00:00:00:01:01"
SINK_MAC = "02:00:00:00:02:02"
# pktgen sleeps (hrtimer) only when the next frame is >= 100 us away and
# busy-waits otherwise; several pktgen devices on one veth, each at a share
# of the rate, keep the per-device gap above that so the generator does not
# burn a whole vCPU of a 2-vCPU guest.
PG_MIN_GAP_NS = 150000
PG_MAX_DEVS = 32
# How long the pktgen thread may take to apply a command (starved guest).
PG_SETTLE_S = 20
FRAME = 60
# A router ends this many seconds after its last packet (that is how the
# routers end after pktgen stops). A router whose vCPU time or vhost worker
# is starved that long in overload (normal under TCG) ends inside the
# window: the point is measured again with a longer idle time (ROUTER_IDLE
# times 2, then 4), unless the stall looks like a consumer that stopped
# draining a full queue, which is reported as a failure.
ROUTER_IDLE = 1.5
STALL_RETRIES = 2
DEBUG = bool(os.environ.get("VRBENCH_DEBUG"))

FIELDS = [
    "config", "phase", "routers", "target_pps", "offered_pps",
    "forwarded_pps", "fwd_ratio", "drop_gen_pps", "drop_in_early_pps",
    "drop_in_full_pps", "drop_in_dev_pps", "drop_router_pps",
    "drop_egress_pps", "drop_sink_pps", "queue_enqueued", "queue_early",
    "queue_full", "worker_ns_per_pkt", "router_ns_per_pkt", "worker_cpu",
    "router_cpu", "worker_cpus", "gen_limited", "window_s", "status", "note",
    "queue_drop_kinds", "queue_occ", "queue_state", "total_offered",
    "total_forwarded", "total_router_rx",
]

KEYS = {"dev", "link", "routers", "rule", "txqueuelen", "ring", "plot"}
DEVS = {"vhost-net": "/dev/vhost-net", "vhost-split": "/dev/vhost-split"}
LINKS = {"macvtap", "macvtap_mq"}

MODES = {
    # grid: multiples of the saturation rate found by calibration
    "full": dict(grid=[0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0],
                 warmup=1.0, window=2.0, extend=2, overload=True),
    "quick": dict(grid=[0.5, 1.5], warmup=0.5, window=1.5, extend=1,
                  overload=True),
    # selftests: one fixed low rate per configuration, no calibration
    "smoke": dict(grid=[], fixed=[2000], warmup=0.3, window=0.7, extend=0,
                  overload=False),
    # make demo: a short doubling sweep of one configuration
    # (2 s windows: under TCG frames in flight vary by ~100 between reads)
    "demo": dict(grid=[], fixed=[500, 1000, 2000, 4000, 8000], warmup=1.0,
                 window=2.0, extend=0, overload=False),
}


class BenchError(Exception):
    """A configuration cannot run; the message says why."""


class RouterStall(BenchError):
    """A router's run ended inside the window: the point is void."""


def log(msg):
    print(msg, flush=True)


def run(cmd, check=True):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode:
        raise BenchError("%s: %s" % (" ".join(cmd),
                                     (p.stderr or p.stdout).strip()))
    return p.stdout


def write_file(path, val):
    try:
        with open(path, "w") as f:
            f.write(str(val) + "\n")
    except OSError as e:
        raise BenchError("write '%s' to %s: %s" % (val, path, e.strerror))


def read_int(path):
    with open(path) as f:
        return int(f.read().split()[0])


def stat(dev, name):
    return read_int("/sys/class/net/%s/statistics/%s" % (dev, name))


# ------------------------------------------------------------ configurations

def parse_configs(path):
    cfgs = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            c = {"name": line[0], "mq": [], "rule": [], "plot": [],
                 "routers": 1, "ring": 256, "txqueuelen": None,
                 "dev": None, "link": None}
            for opt in line[1:]:
                k, sep, v = opt.partition("=")
                where = "%s:%d" % (path, lineno)
                if not sep or not v:
                    sys.exit("%s: '%s' is not key=value" % (where, opt))
                if k.startswith("mq.") and len(k) > 3:
                    c["mq"].append((k[3:], v))
                elif k not in KEYS:
                    sys.exit("%s: unknown key '%s'" % (where, k))
                elif k == "rule":
                    d, sep, cpus = v.partition(":")
                    if d not in ("rx", "tx", "any") or not cpus:
                        sys.exit("%s: rule is DIR:CPUS" % where)
                    c["rule"].append((d, cpus))
                elif k == "plot":
                    c["plot"] = v.split(",")
                elif k in ("routers", "ring", "txqueuelen"):
                    c[k] = int(v)
                else:
                    c[k] = v
            if c["dev"] not in DEVS or c["link"] not in LINKS:
                sys.exit("%s:%d: dev= and link= are required" %
                         (path, lineno))
            if not 1 <= c["routers"] <= 8:
                sys.exit("%s:%d: routers must be 1..8" % (path, lineno))
            if c["link"] == "macvtap" and c["routers"] > 1:
                sys.exit("%s:%d: stock macvtap spreads by flow hash: use "
                         "macvtap_mq for several routers" % (path, lineno))
            cfgs.append(c)
    return cfgs


# -------------------------------------------------------------------- pktgen

class Pktgen:
    """Rate-controlled 64-byte single-flow traffic out of gen0."""

    def __init__(self):
        if not os.path.isdir(PG):
            raise BenchError("pktgen is not available (modprobe pktgen)")
        self.thread = PG + "/kpktgend_0"
        self.proc = None
        self.devs = []

    def setup(self, rate):
        self.reset()
        n = 1
        if rate:
            n = min(PG_MAX_DEVS, max(1, math.ceil(rate * PG_MIN_GAP_NS / 1e9)))
        self.devs = ["%s@%d" % (GEN_TX, i) for i in range(n)]
        for i, d in enumerate(self.devs):
            # rem_device_all is applied by the pktgen thread when it next
            # runs, which a starved guest may delay by seconds (EBUSY)
            deadline = time.monotonic() + PG_SETTLE_S
            while True:
                try:
                    write_file(self.thread, "add_device " + d)
                    break
                except BenchError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            p = "%s/%s" % (PG, d)
            for cmd in ("count 0", "clone_skb 0", "pkt_size %d" % FRAME,
                        "dst_mac " + ING_MAC, "dst 198.18.1.1",
                        "src_min 198.18.0.1", "src_max 198.18.0.1",
                        "udp_src_min 9", "udp_src_max 9",
                        "udp_dst_min 9", "udp_dst_max 9"):
                write_file(p, cmd)
            if rate:
                # Spread the remainder so the devices add up to rate.
                share = rate // n + (1 if i < rate % n else 0)
                write_file(p, "ratep %d" % max(1, share))
            else:
                write_file(p, "delay 0")

    def start(self):
        # Writing "start" blocks until every device stops.
        self.proc = subprocess.Popen(
            ["sh", "-c", "echo start > %s/pgctrl" % PG],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self):
        if self.proc:
            write_file(PG + "/pgctrl", "stop")
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def reset(self):
        self.stop()
        if os.path.exists(self.thread):
            write_file(self.thread, "rem_device_all")
            # wait (bounded) until the thread has dropped the devices
            deadline = time.monotonic() + PG_SETTLE_S
            while time.monotonic() < deadline and any(
                    f.startswith(GEN_TX + "@") for f in os.listdir(PG)):
                time.sleep(0.1)
        self.devs = []


# ------------------------------------------------------------------- routers

def find_threads(pids):
    """vhost worker threads serving each router: tid -> label."""
    names = {}
    for p in pids:
        names["vhost-%d" % p] = "vhost"
        names["vhs-rx-%d" % p] = "rx"
        names["vhs-tx-%d" % p] = "tx"
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            tids = os.listdir("/proc/%s/task" % pid)
        except OSError:
            continue
        for tid in tids:
            try:
                with open("/proc/%s/task/%s/comm" % (pid, tid)) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm in names:
                found[int(tid)] = names[comm]
    return found


def cpu_ns(tid):
    """CPU time of one thread in ns (schedstat, else utime+stime)."""
    try:
        with open("/proc/%d/task/%d/schedstat" % (tid, tid)) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/%d/task/%d/stat" % (tid, tid)) as f:
            s = f.read().rsplit(")", 1)[1].split()
        return (int(s[11]) + int(s[12])) * 1e9 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def cpus_allowed(tid):
    try:
        with open("/proc/%d/status" % tid) as f:
            for line in f:
                if line.startswith("Cpus_allowed_list:"):
                    return line.split()[1]
    except OSError:
        pass
    return "?"


class Routers:
    def __init__(self, vnetdrv, cfg, ing_tap, egr_tap, duration_ms, idle):
        self.idle = idle
        self.killed = 0
        self.procs = []
        self.results = []
        self.errs = []
        dev = DEVS[cfg["dev"]]
        try:
            self._start(vnetdrv, cfg, dev, ing_tap, egr_tap, duration_ms)
        except BenchError:
            self.close()
            raise
        self.pids = [p.pid for p in self.procs]

    def _start(self, vnetdrv, cfg, dev, ing_tap, egr_tap, duration_ms):
        for i in range(cfg["routers"]):
            err = open("/tmp/vrbench-router-%d.err" % i, "w+")
            self.errs.append(err)
            p = subprocess.Popen(
                [vnetdrv, "forward", "--dev", dev, "--backend", "macvtap",
                 "--tap", ing_tap, "--tap", egr_tap, "--ring",
                 str(cfg["ring"]), "--dst-mac", SINK_MAC,
                 "--duration", str(duration_ms), "--timeout",
                 str(int(self.idle * 1000)),
                 "--count", "0"],
                stdout=subprocess.PIPE, stderr=err, text=True)
            self.procs.append(p)
            self._wait_ready(p, i)

    def alive(self):
        return all(p.poll() is None for p in self.procs)

    def ended(self):
        """Routers that exited: (index, exit code, their JSON or None)."""
        out = []
        for i, p in enumerate(self.procs):
            if p.poll() is None:
                continue
            res = None
            try:
                for line in p.stdout.read().splitlines():
                    if line.startswith("{") and '"mode":"forward"' in line:
                        res = json.loads(line)
            except (OSError, ValueError):
                pass
            out.append((i, p.returncode, res))
        return out

    def _why(self, i):
        self.errs[i].seek(0)
        return self.errs[i].read().strip().replace("\n", "; ")[-300:]

    def _wait_ready(self, p, i):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            r, _, _ = select.select([p.stdout], [], [], 0.2)
            if r:
                line = p.stdout.readline()
                if not line:
                    break
                if '"ready"' in line:
                    return
        p.poll()
        raise BenchError("router %d did not start (exit %s): %s" %
                         (i, p.returncode, self._why(i)))

    def finish(self, timeout):
        """Wait for the routers to end their run; collect their JSON. A
        router that never got a packet (e.g. an idle queue under hash) has
        no idle timeout to end on: it is killed and reports nothing."""
        deadline = time.monotonic() + timeout
        self.killed = 0
        for i, p in enumerate(self.procs):
            try:
                out, _ = p.communicate(
                    timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                out, _ = p.communicate()
            res = None
            for line in out.splitlines():
                if line.startswith("{") and '"mode":"forward"' in line:
                    res = json.loads(line)
            if res is None:
                if p.returncode != -signal.SIGKILL:
                    raise BenchError("router %d gave no result (exit %s): %s"
                                     % (i, p.returncode, self._why(i)))
                self.killed += 1
                res = {"drops": 0, "elapsed_ns": 0}
            self.results.append(res)
        self.close()
        return self.results

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for e in self.errs:
            e.close()
        self.procs = []
        self.errs = []


# ------------------------------------------------------------ link and rules

class Setup:
    """The ingress and egress links (and vr_sched rules) of one config."""

    def __init__(self, cfg, vrctl):
        self.cfg = cfg
        self.vrctl = vrctl
        self.rule_ids = []
        self.links = []
        self.nodes = tempfile.mkdtemp(prefix="vrbench-nodes.")
        try:
            self._links()
            self._rules()
        except BenchError:
            self.close()
            raise

    def _links(self):
        c = self.cfg
        if not os.path.exists(DEVS[c["dev"]]):
            raise BenchError("%s does not exist (module not loaded?)" %
                             DEVS[c["dev"]])
        p = subprocess.run(["ip", "link", "add", "link", GEN_RX, "name", ING,
                            "address", ING_MAC, "type", c["link"]],
                           capture_output=True, text=True)
        if p.returncode:
            raise BenchError("cannot create a %s link: %s" %
                             (c["link"], p.stderr.strip()))
        self.links.append(ING)
        run(["ip", "link", "add", "link", OUT_TX, "name", EGR,
             "type", "macvtap"])
        self.links.append(EGR)
        if c["txqueuelen"]:
            run(["ip", "link", "set", ING, "txqueuelen",
                 str(c["txqueuelen"])])
        for d in (ING, EGR):
            run(["ip", "link", "set", d, "up"])
        # Until linkwatch has seen the carrier the link may sit on the noop
        # qdisc, which drops what the routers send: wait (bounded) for it.
        for d in (ING, EGR):
            for _ in range(100):
                with open("/sys/class/net/%s/operstate" % d) as f:
                    if f.read().strip() == "up":
                        break
                time.sleep(0.05)
            else:
                log("vrbench: %s is not up after 5 s" % d)
        for attr, val in c["mq"]:
            if c["link"] != "macvtap_mq":
                raise BenchError("mq.%s needs link=macvtap_mq" % attr)
            path = "/sys/class/net/%s/macvtap_mq/%s" % (ING, attr)
            if not os.path.exists(path):
                raise BenchError("macvtap_mq has no '%s' attribute" % attr)
            write_file(path, val)
        self.ing_tap = self._tap_node(ING)
        self.egr_tap = self._tap_node(EGR)

    def _tap_node(self, dev):
        """A private device node for the link's tap. /dev/tap<ifindex> is
        named after an ifindex, unique only per namespace: while a link of
        another namespace with the same ifindex exists (e.g. one a leftover
        process keeps alive), /dev/tapN is ITS node and a router opening it
        would attach to a queue nobody sends to."""
        ifindex = read_int("/sys/class/net/%s/ifindex" % dev)
        attr = "/sys/class/net/%s/tap%d/dev" % (dev, ifindex)
        try:
            with open(attr) as f:
                major, minor = (int(x) for x in f.read().split(":"))
        except (OSError, ValueError) as e:
            raise BenchError("%s: no tap device number: %s" % (dev, e))
        path = os.path.join(self.nodes, dev)
        try:
            os.mknod(path, 0o600 | stat_mod.S_IFCHR,
                     os.makedev(major, minor))
        except OSError as e:
            raise BenchError("mknod %s: %s" % (path, e.strerror))
        return path

    def _rules(self):
        if not self.cfg["rule"]:
            return
        if not self.vrctl:
            raise BenchError("vrctl is not built (tools/vrctl): cannot add "
                             "vr_sched rules")
        for d, cpus in self.cfg["rule"]:
            cmd = [self.vrctl, "-j", "rule", "add"]
            if d != "any":
                cmd += ["dir", d]
            cmd += ["cpus", cpus]
            out = run(cmd)
            rid = None
            try:
                js = json.loads(out)
                if isinstance(js, list):
                    js = js[0]
                rid = js.get("id")
            except (ValueError, AttributeError, IndexError):
                pass
            if rid is None:
                raise BenchError("vrctl rule add printed no rule id: %r" %
                                 out[:200])
            self.rule_ids.append(rid)

    def queue_stats(self):
        """Per-queue counters of the ingress macvtap_mq, sorted by queue
        index: dicts with enqueued, full (full_drops), early (the sum of
        every other *_drops field, so a new drop kind is never lost), drops
        (each *_drops field by name), occupancy and state (any other
        numeric field: controller state such as an effective limit)."""
        if self.cfg["link"] != "macvtap_mq" or not self.vrctl:
            return None
        p = subprocess.run([self.vrctl, "-j", "-s", "link", "show", ING],
                           capture_output=True, text=True)
        if p.returncode:
            return None
        try:
            js = json.loads(p.stdout)
        except ValueError:
            return None
        qs = []

        def walk(o):
            if isinstance(o, dict):
                keys = {k.replace("-", "_"): v for k, v in o.items()}
                if "enqueued" in keys and "full_drops" in keys:
                    qs.append(queue_entry(keys, len(qs)))
                    return
                for v in o.values():
                    walk(v)
            elif isinstance(o, list):
                for v in o:
                    walk(v)
        walk(js)
        return sorted(qs, key=lambda q: q["index"]) if qs else None

    def close(self):
        for rid in self.rule_ids:
            subprocess.run([self.vrctl, "rule", "del", str(rid)],
                           capture_output=True)
        self.rule_ids = []
        for d in self.links:
            subprocess.run(["ip", "link", "del", d], capture_output=True)
        self.links = []
        shutil.rmtree(self.nodes, ignore_errors=True)


def queue_entry(keys, pos):
    q = {"index": int(keys.get("index", pos)), "enqueued":
         int(keys["enqueued"]), "occupancy": int(keys.get("occupancy", 0)),
         "drops": {}, "state": {}}
    for k, v in keys.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if k.endswith("_drops"):
            q["drops"][k] = int(v)
        elif k not in ("index", "enqueued", "occupancy"):
            q["state"][k] = v
    q["full"] = q["drops"].get("full_drops", 0)
    q["early"] = sum(v for k, v in q["drops"].items() if k != "full_drops")
    return q


# ---------------------------------------------------------------- measuring

def snapshot(setup, threads, pids):
    s = {"t": time.monotonic()}
    s["gen_tx"] = stat(GEN_TX, "tx_packets") + stat(GEN_TX, "tx_dropped")
    s["gen_drop"] = stat(GEN_TX, "tx_dropped") + stat(GEN_RX, "rx_dropped")
    s["in_drop"] = stat(ING, "rx_dropped")
    s["egr_drop"] = stat(EGR, "tx_dropped") + stat(OUT_TX, "tx_dropped")
    s["sink"] = stat(SINK, "rx_packets")
    s["sink_drop"] = stat(SINK, "rx_dropped")
    s["queues"] = setup.queue_stats()
    s["worker_each"] = {t: cpu_ns(t) for t in threads}
    s["router_each"] = {p: cpu_ns(p) for p in pids}
    s["worker"] = s["router"] = None
    if None not in s["worker_each"].values():
        s["worker"] = sum(s["worker_each"].values())
    if None not in s["router_each"].values():
        s["router"] = sum(s["router_each"].values())
    if DEBUG:
        log("vrbench-debug: %s" % {k: v for k, v in s.items()
                                   if k != "queues"})
    return s


def stall_report(routers, setup, idle, before):
    """Why routers ended inside the window. A router that ends closes its
    tap queue (its frames go with it), so what is left to show is what each
    ended router had received and the other queues' occupancy at the end of
    the window."""
    parts = []
    for i, rc, res in routers.ended():
        if res:
            parts.append("router %d ended after %d packets (none for %.1f s)"
                         % (i, res.get("packets", 0), idle))
        else:
            parts.append("router %d exited %s: %s" % (i, rc, routers._why(i)))
    if before:
        parts.append("queue occupancy at the window's end %s" % "/".join(
            str(q["occupancy"]) for q in before))
    return "; ".join(parts)


def queue_delta(a, b):
    """Per-queue counter deltas between two queue_stats() snapshots."""
    d = []
    for x, y in zip(a, b):
        kinds = {k: y["drops"].get(k, 0) - x["drops"].get(k, 0)
                 for k in y["drops"]}
        d.append({"enqueued": y["enqueued"] - x["enqueued"],
                  "early": y["early"] - x["early"],
                  "full": y["full"] - x["full"], "kinds": kinds})
    return d


def flowing(t0, limit=5.0):
    """Wait (bounded) until pktgen has really started and frames reach the
    sink: under TCG starting pktgen and the routers' first packets take
    hundreds of ms, and a window opened before the pipeline flows counts
    that backlog as forwarded inside it (more out than in)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if stat(GEN_TX, "tx_packets") + stat(GEN_TX, "tx_dropped") > \
                t0[0] and stat(SINK, "rx_packets") > t0[1]:
            return
        time.sleep(0.02)


def measure(cfg, setup, pg, vnetdrv, rate, mode, phase, idle=ROUTER_IDLE):
    m = MODES[mode]
    row = {"config": cfg["name"], "phase": phase, "routers": cfg["routers"],
           "target_pps": rate, "status": "ok", "note": ""}

    def note(txt):
        row["note"] = (row["note"] + "; " if row["note"] else "") + txt
    # The routers end `idle` s after their last packet, i.e. after pktgen
    # stops; the duration only bounds a run that goes wrong. (A fixed
    # duration does not work: under overload the guest's userspace, this
    # script included, is starved and the window ends late.)
    duration_ms = int((m["warmup"] + m["window"] + 120) * 1000)
    pg.setup(rate)
    routers = Routers(vnetdrv, cfg, setup.ing_tap, setup.egr_tap,
                      duration_ms, idle)
    try:
        threads = find_threads(routers.pids)
        want = {"vhost-net": 2, "vhost-split": 4}[cfg["dev"]]
        if len(threads) != want * cfg["routers"]:
            note("found %d worker threads, expected %d" % (
                len(threads), want * cfg["routers"]))
        row["worker_cpus"] = " ".join(sorted(
            "%s:%s" % (k, cpus_allowed(t)) for t, k in threads.items()))
        t0 = (stat(GEN_TX, "tx_packets") + stat(GEN_TX, "tx_dropped"),
              stat(SINK, "rx_packets"))
        pg.start()
        flowing(t0)
        time.sleep(m["warmup"])
        a = snapshot(setup, threads, routers.pids)
        if a["queues"] is not None and len(a["queues"]) != cfg["routers"]:
            raise BenchError("%s has %d queues attached, expected one per "
                             "router (%d)" % (ING, len(a["queues"]),
                                              cfg["routers"]))
        time.sleep(m["window"])
        b = snapshot(setup, threads, routers.pids)
        if not routers.alive():
            raise RouterStall("a router ended inside the window: " +
                              stall_report(routers, setup, idle,
                                           b["queues"]))
        pg.stop()
        res = routers.finish(timeout=idle + 5)
        t1 = (stat(GEN_TX, "tx_packets") + stat(GEN_TX, "tx_dropped"),
              stat(SINK, "rx_packets"))
        if routers.killed:
            note("%d router(s) without traffic stopped by the bench" %
                 routers.killed)
    finally:
        pg.stop()
        routers.close()
    # Whole-point accounting (pktgen start to routers' end): the sink can
    # never get more than was sent, nor more than the routers received.
    row["total_offered"] = t1[0] - t0[0]
    row["total_forwarded"] = t1[1] - t0[1]
    row["total_router_rx"] = sum(r.get("packets", 0) for r in res)
    if row["total_forwarded"] > row["total_offered"] or (
            not routers.killed and
            row["total_forwarded"] > row["total_router_rx"]):
        row["status"] = "FAILED"
        note("accounting: sink got %d frames, pktgen sent %d, routers "
             "received %d" % (row["total_forwarded"], row["total_offered"],
                              row["total_router_rx"]))
    dt = b["t"] - a["t"]

    def rate_of(k):
        return (b[k] - a[k]) / dt

    fwd = b["sink"] - a["sink"]
    row["window_s"] = round(dt, 3)
    row["offered_pps"] = round(rate_of("gen_tx"), 1)
    row["forwarded_pps"] = round(fwd / dt, 1)
    row["fwd_ratio"] = round(fwd / max(1, b["gen_tx"] - a["gen_tx"]), 4)
    row["drop_gen_pps"] = round(rate_of("gen_drop"), 1)
    row["drop_in_dev_pps"] = round(rate_of("in_drop"), 1)
    row["drop_egress_pps"] = round(rate_of("egr_drop"), 1)
    row["drop_sink_pps"] = round(rate_of("sink_drop"), 1)
    if cfg["link"] == "macvtap":
        # Stock macvtap has no early drop: every drop is a full ring.
        row["drop_in_early_pps"] = 0.0
        row["drop_in_full_pps"] = row["drop_in_dev_pps"]
    elif a["queues"] and b["queues"] and len(a["queues"]) == len(b["queues"]):
        d = queue_delta(a["queues"], b["queues"])
        row["queue_enqueued"] = "/".join(str(q["enqueued"]) for q in d)
        row["queue_early"] = "/".join(str(q["early"]) for q in d)
        row["queue_full"] = "/".join(str(q["full"]) for q in d)
        row["drop_in_early_pps"] = round(sum(q["early"] for q in d) / dt, 1)
        row["drop_in_full_pps"] = round(sum(q["full"] for q in d) / dt, 1)
        kinds = {}
        for q in d:
            for k, v in q["kinds"].items():
                kinds[k] = kinds.get(k, 0) + v
        row["queue_drop_kinds"] = " ".join(
            "%s=%d" % kv for kv in sorted(kinds.items()))
        row["queue_occ"] = "/".join(str(q["occupancy"])
                                    for q in b["queues"])
        keys = sorted({k for q in b["queues"] for k in q["state"]})
        row["queue_state"] = " ".join(
            "%s=%s" % (k, "/".join(str(q["state"].get(k, "-"))
                                   for q in b["queues"])) for k in keys)
    # Routers count TX ring full (and non-IPv4) drops over their whole run.
    rd = sum(r["drops"] * 1e9 / r["elapsed_ns"] for r in res
             if r.get("elapsed_ns"))
    row["drop_router_pps"] = round(rd, 1)
    if None in (a["worker"], b["worker"], a["router"], b["router"]):
        row["note"] = (row["note"] + "; " if row["note"] else "") + \
            "a thread vanished during the window: no CPU numbers"
    else:
        if fwd > 0:
            row["worker_ns_per_pkt"] = round((b["worker"] - a["worker"]) /
                                             fwd)
            row["router_ns_per_pkt"] = round((b["router"] - a["router"]) /
                                             fwd)
        row["worker_cpu"] = round((b["worker"] - a["worker"]) / dt / 1e9, 3)
        row["router_cpu"] = round((b["router"] - a["router"]) / dt / 1e9, 3)
    row["gen_limited"] = int(bool(rate) and
                             row["offered_pps"] < 0.85 * rate)
    errs = sum(r.get("dev_errors", 0) + r.get("lost_calls", 0) for r in res)
    if errs:
        row["note"] = (row["note"] + "; " if row["note"] else "") + \
            "router saw %d device errors/lost calls" % errs
    return row


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = args.mode
        self.rows = []
        self.csv = open(os.path.join(args.out, "results.csv"), "w",
                        newline="")
        self.w = csv.DictWriter(self.csv, FIELDS, extrasaction="ignore")
        self.w.writeheader()
        self.npoints = 0
        self.stalls = []

    def emit(self, row):
        self.rows.append(row)
        self.w.writerow(row)
        self.csv.flush()
        self.npoints += 1
        if row["status"] == "void":
            log("vrbench: %-13s point at %d pps void: %s" % (
                row["config"], row["target_pps"], row["note"]))
            return
        if row["status"] != "ok":
            log("vrbench: %-13s FAILED: %s" % (row["config"], row["note"]))
            return
        log("vrbench: [%3d] %-13s %-5s target %8.0f  offered %8.0f pps  "
            "forwarded %8.0f pps (%5.1f%%)  drops early/full/router "
            "%.0f/%.0f/%.0f  worker %s ns/pkt%s" % (
                self.npoints, row["config"], row["phase"][:5],
                row["target_pps"], row["offered_pps"], row["forwarded_pps"],
                100 * row["fwd_ratio"], row.get("drop_in_early_pps") or 0,
                row.get("drop_in_full_pps") or 0, row["drop_router_pps"],
                row.get("worker_ns_per_pkt", "-"),
                "  [" + row["note"] + "]" if row["note"] else ""))

    def point(self, cfg, setup, pg, rate, phase):
        idle = ROUTER_IDLE
        for attempt in range(STALL_RETRIES + 1):
            try:
                row = measure(cfg, setup, pg, self.args.vnetdrv, int(rate),
                              self.mode, phase, idle)
                break
            except RouterStall as e:
                why = str(e)
                self.stalls.append("%s %d pps idle %.1f s: %s" % (
                    cfg["name"], int(rate), idle, why))
                idle *= 2
                if attempt < STALL_RETRIES:
                    log("vrbench: %s at %d pps: %s; measuring the point "
                        "again (router idle time %.1f s)" % (
                            cfg["name"], int(rate), why, idle))
        else:
            self.emit({"config": cfg["name"], "phase": phase,
                       "routers": cfg["routers"], "target_pps": int(rate),
                       "status": "void", "note": why})
            return None
        if attempt:
            row["note"] = (row["note"] + "; " if row["note"] else "") + \
                "measured at attempt %d (router idle time %.1f s)" % (
                    attempt + 1, idle)
        self.emit(row)
        return row

    def calibrate(self, cfg, pg):
        """Coarse doubling pass on the first configuration: saturation."""
        setup = Setup(cfg, self.args.vrctl)
        try:
            best, rate = 0.0, 1000
            while rate <= 256000:
                r = self.point(cfg, setup, pg, rate, "calibrate")
                if r is None:
                    rate *= 2
                    continue
                best = max(best, r["forwarded_pps"])
                if r["forwarded_pps"] < 0.8 * r["offered_pps"] or \
                   r["gen_limited"]:
                    break
                rate *= 2
        finally:
            setup.close()
        if best <= 0:
            raise BenchError("%s forwarded nothing during calibration" %
                             cfg["name"])
        return best

    def sweep(self, cfg, pg, sat):
        m = MODES[self.mode]
        setup = Setup(cfg, self.args.vrctl)
        try:
            rates = list(m.get("fixed", [])) + [f * sat for f in m["grid"]]
            done = []

            def add(row):
                if row is not None:
                    done.append(row)
            for r in rates:
                add(self.point(cfg, setup, pg, r, "sweep"))
            # Still forwarding (nearly) everything: push further.
            ext = 0
            while ext < m["extend"] and done and \
                    done[-1]["fwd_ratio"] >= 0.9 and \
                    not done[-1]["gen_limited"]:
                add(self.point(cfg, setup, pg, done[-1]["target_pps"] * 1.5,
                               "sweep"))
                ext += 1
            if not done:
                raise BenchError("every point was void (routers stopped)")
            if m["overload"]:
                peak = max(r["forwarded_pps"] for r in done)
                for mult in (2, 3):
                    tgt = mult * peak
                    if any(abs(r["offered_pps"] - tgt) < 0.1 * tgt
                           for r in done):
                        continue
                    add(self.point(cfg, setup, pg, tgt, "overload%d" % mult))
        finally:
            setup.close()

    def failed(self, cfg, why):
        self.emit({"config": cfg["name"], "phase": "-",
                   "routers": cfg["routers"], "status": "FAILED",
                   "note": why})

    def close(self):
        self.csv.close()


def topology():
    run(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
    run(["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
    run(["ip", "link", "set", "lo", "up"])
    run(["ip", "link", "add", GEN_TX, "type", "veth", "peer", "name",
         GEN_RX])
    run(["ip", "link", "add", OUT_TX, "type", "veth", "peer", "name", SINK])
    run(["ip", "link", "set", SINK, "address", SINK_MAC])
    for d in (GEN_TX, GEN_RX, OUT_TX, SINK):
        run(["ip", "link", "set", d, "up"])


def inner(args):
    cfgs = parse_configs(args.configs)
    if args.only:
        want = args.only.split(",")
        unknown = set(want) - {c["name"] for c in cfgs}
        if unknown:
            sys.exit("vrbench: unknown configuration(s): %s" %
                     ",".join(sorted(unknown)))
        cfgs = [c for c in cfgs if c["name"] in want]
    topology()
    meta = {"kernel": os.uname().release, "mode": args.mode,
            "cpus": os.cpu_count(), "frame_bytes": FRAME + 4,
            "caveat": CAVEAT, "configs": cfgs,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    log("vrbench: %s" % CAVEAT)
    log("vrbench: kernel %s, %d vCPUs, mode %s, %d configurations" % (
        meta["kernel"], meta["cpus"], args.mode, len(cfgs)))
    bench = Bench(args)
    pg = Pktgen()
    sat = None
    try:
        if MODES[args.mode]["grid"]:
            try:
                sat = bench.calibrate(cfgs[0], pg)
            except BenchError as e:
                log("vrbench: calibration on %s failed: %s" %
                    (cfgs[0]["name"], e))
                sat = None
            if sat:
                log("vrbench: saturation of %s: %.0f pps; sweep from "
                    "%.0f pps" % (cfgs[0]["name"], sat,
                                  MODES[args.mode]["grid"][0] * sat))
        for c in cfgs:
            if MODES[args.mode]["grid"] and not sat:
                bench.failed(c, "no saturation rate (calibration failed)")
                continue
            try:
                bench.sweep(c, pg, sat)
            except BenchError as e:
                bench.failed(c, str(e))
    finally:
        pg.reset()
        bench.close()
    meta["saturation_pps"] = sat
    # Every router stall (measured again or void), for the report.
    meta["stalls"] = bench.stalls
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    failed = sorted({r["config"] for r in bench.rows
                     if r["status"] != "ok"})
    if failed:
        log("vrbench: FAILED configurations: %s" % ", ".join(failed))
    return 1 if failed else 0


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=sorted(MODES), default="full")
    ap.add_argument("--configs", default=os.path.join(top, "bench",
                                                      "configs.txt"))
    ap.add_argument("--only", help="comma-separated configuration names")
    ap.add_argument("--out", required=True, help="writable result dir")
    ap.add_argument("--vnetdrv", default=os.path.join(
        top, "selftests", "vhost_split", "vnetdrv"))
    ap.add_argument("--vrctl", default=os.path.join(top, "tools", "vrctl",
                                                    "vrctl"))
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not os.access(args.vrctl, os.X_OK):
        args.vrctl = None
    if not os.access(args.vnetdrv, os.X_OK):
        sys.exit("vrbench: %s is not built (make tools)" % args.vnetdrv)
    os.makedirs(args.out, exist_ok=True)
    if args.inner:
        sys.exit(inner(args))
    # Everything runs in a private network namespace (and sysfs view).
    ns = "pvrbench-%d" % os.getpid()
    run(["ip", "netns", "add", ns])
    p = None
    try:
        p = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable,
                              os.path.abspath(__file__), "--inner"] +
                             sys.argv[1:])
        rc = p.wait()
    except KeyboardInterrupt:
        if p:
            p.send_signal(signal.SIGINT)
            p.wait()
        rc = 130
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
