#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpora: fuzz/corpus/desc/ for desc_fuzz (a few valid
chains in its input layout, see desc_fuzz.c) and fuzz/corpus/nl/ for nl_fuzz
(valid vr_sched requests of every op and data-plane events, see nl_fuzz.c),
so the fuzzers start from inputs that reach deep into the code."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "desc")
NEXT, WRITE, INDIRECT = 1, 2, 4


def desc(addr, length, flags=0, nxt=0):
    return struct.pack("<QIHH", addr, length, flags, nxt)


def seed(num_log2, indirect_ok, regions, desc_off, head, mem):
    hdr = num_log2 | (8 if indirect_ok else 0) | ((len(regions) - 1) << 4)
    b = struct.pack("<BHH", hdr, desc_off, head)
    for gpa, size, off in regions:
        b += struct.pack("<Q", gpa) + struct.pack("<I", size)[:3]
        b += bytes([0]) + struct.pack("<H", off)
    return b + bytes(mem)


def put(mem, off, data):
    mem[off:off + len(data)] = data


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1000, 64, NEXT, 1) + desc(0x2000, 128, WRITE))
    seeds["out-in"] = seed(3, False, [(0x1000, 0x8000, 0x1000)], 0, 0, mem)

    mem = bytearray(0x3040)
    put(mem, 0, desc(0x3000, 32, INDIRECT))
    put(mem, 0x3000, desc(0x1000, 14, NEXT, 1) + desc(0x1100, 1500, WRITE))
    seeds["indirect"] = seed(3, True, [(0, 0x8000, 0)], 0, 0, mem)

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1800, 0x1000, 0))
    seeds["two-regions"] = seed(2, False, [(0x1000, 0x1000, 0x1000),
                                           (0x2000, 0x1000, 0x4000)], 0, 0, mem)

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1000, 12, NEXT, 1) + desc(0x1000, 100, WRITE | NEXT, 2)
        + desc(0x1100, 100, WRITE))
    seeds["mrg-rx"] = seed(4, True, [(0x1000, 0x8000, 0x1000)], 0, 0, mem)

    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


# ----------------------------------------------------------------- nl_fuzz
# UAPI numbers (include/uapi/linux/vr_sched.h).
WORKER_GET, WORKER_SET, RULE_ADD, RULE_DEL, RULE_GET, LINK_GET, LINK_SET = \
    1, 2, 5, 6, 7, 8, 9
CMD_MAX = 12
EV_WORKER_REG, EV_WORKER_UNREG, EV_LINK_RENAME, EV_LINK_QUEUES, \
    EV_LINK_ANNOUNCE = range(5)
W_ID, W_CPUS, W_SCHED = 1, 8, 9
R_ID, R_DIR, R_COMM, R_PID, R_CPUS, R_SCHED = range(1, 7)
L_IFINDEX, L_NAME, L_POLICY, L_LIMIT, L_SKIP_FULL, L_WEIGHT = 1, 2, 4, 5, 6, 7
L_QMODE, L_TARGET, L_LMIN, L_LMAX, L_INTERVAL = range(9, 14)
S_POLICY, S_NICE, S_PRIO, S_RUNTIME, S_DEADLINE, S_PERIOD = range(1, 7)
OTHER, FIFO, RR, DEADLINE, BATCH, IDLE = range(1, 7)
NESTED = 0x8000
DUMP, LISTEN, OTHER_NS = 1, 2, 4


def attr(t, payload):
    a = struct.pack("<HH", 4 + len(payload), t) + payload
    return a + bytes(-len(a) % 4)


def u8(t, v):
    return attr(t, struct.pack("<B", v))


def u32(t, v):
    return attr(t, struct.pack("<I", v))


def s32(t, v):
    return attr(t, struct.pack("<i", v))


def u64(t, v):
    return attr(t, struct.pack("<Q", v))


def string(t, v):
    return attr(t, v.encode() + b"\0")


def nest(t, *attrs):
    return attr(t | NESTED, b"".join(attrs))


def req(cmd, *attrs, ctl=0, nth=0):
    body = b"".join(attrs)
    return struct.pack("<BBBH", cmd, ctl, nth, len(body)) + body


def event(ev, *args):
    return struct.pack("<BBBH", CMD_MAX + 1 + ev, 0, 0, len(args)) + bytes(args)


def event_nth(ev, nth, *args, ctl=0):
    return struct.pack("<BBBH", CMD_MAX + 1 + ev, ctl, nth, len(args)) + \
        bytes(args)


def nl_seeds():
    other5 = nest(W_SCHED, u32(S_POLICY, OTHER), s32(S_NICE, 5))
    fifo = nest(W_SCHED, u32(S_POLICY, FIFO), u32(S_PRIO, 10))
    dl = nest(W_SCHED, u32(S_POLICY, DEADLINE), u64(S_RUNTIME, 200000),
              u64(S_DEADLINE, 500000), u64(S_PERIOD, 1000000))
    return {
        "worker-get": req(WORKER_GET, u32(W_ID, 1)),
        "worker-dump": req(WORKER_GET, ctl=DUMP) +
        req(WORKER_GET, ctl=DUMP | 0x80, nth=20),
        "worker-set": req(WORKER_SET, u32(W_ID, 1), string(W_CPUS, "0-3"),
                          other5) +
        req(WORKER_GET, u32(W_ID, 1)),
        "worker-set-fifo": req(WORKER_SET, u32(W_ID, 3), string(W_CPUS, "1"),
                               fifo, ctl=LISTEN),
        "worker-set-dl": req(WORKER_SET, u32(W_ID, 2), string(W_CPUS, "0-9"),
                             dl) +
        req(WORKER_SET, u32(W_ID, 2), string(W_CPUS, "N"), other5),
        "worker-set-refused": req(WORKER_SET, u32(W_ID, 1),
                                  string(W_CPUS, "2"), fifo, ctl=1 << 3),
        "rule-add-get-del": req(RULE_ADD, u32(R_DIR, 1),
                                string(R_COMM, "router1"),
                                string(R_CPUS, "2-3"),
                                nest(R_SCHED, u32(S_POLICY, BATCH),
                                     s32(S_NICE, 3))) +
        req(RULE_GET, u32(R_ID, 1)) + req(RULE_GET, ctl=DUMP) +
        req(RULE_DEL, u32(R_ID, 1)),
        "rule-then-worker": req(RULE_ADD, u32(R_PID, 200),
                                nest(R_SCHED, u32(S_POLICY, RR),
                                     u32(S_PRIO, 50))) +
        req(RULE_ADD, string(R_CPUS, "0-1:1/2")) +
        event(EV_WORKER_REG, 4, 2) + req(WORKER_GET, ctl=DUMP | LISTEN),
        "rule-add-nomem": req(RULE_ADD, string(R_CPUS, "4"), nth=3),
        "link-get": req(LINK_GET, string(L_NAME, "mvq0")) +
        req(LINK_GET, u32(L_IFINDEX, 3)) +
        req(LINK_GET, u32(L_IFINDEX, 2), ctl=OTHER_NS),
        "link-dump": req(LINK_GET, ctl=DUMP) +
        req(LINK_GET, ctl=DUMP | OTHER_NS),
        "link-set": req(LINK_SET, string(L_NAME, "mvq0"), u32(L_POLICY, 3),
                        u32(L_WEIGHT, 1), u32(L_WEIGHT, 2), u32(L_WEIGHT, 3),
                        ctl=LISTEN) +
        req(LINK_SET, u32(L_IFINDEX, 3), u32(L_LIMIT, 100),
            u8(L_SKIP_FULL, 1)),
        "link-set-qmode": req(LINK_SET, string(L_NAME, "mvq0"),
                              u32(L_QMODE, 2), u32(L_TARGET, 2000),
                              u32(L_LMIN, 10), u32(L_LMAX, 200),
                              u32(L_INTERVAL, 5000), ctl=LISTEN),
        "dump-interrupted": req(WORKER_GET, ctl=DUMP | 0x80 | 8, nth=30) +
        req(RULE_ADD, string(R_CPUS, "1")) +
        req(RULE_ADD, string(R_CPUS, "2")) +
        req(RULE_GET, ctl=DUMP | 0x80 | 8, nth=10) +
        req(LINK_GET, ctl=DUMP | 0x80 | 8, nth=60),
        "link-set-too-many": req(LINK_SET, string(L_NAME, "mvq1"),
                                 *[u32(L_WEIGHT, 7)] * 257),
        "events-nomem": event_nth(EV_WORKER_REG, 1, 4, 4) +
        event_nth(EV_LINK_QUEUES, 2, 0, 3, ctl=LISTEN) +
        event_nth(EV_WORKER_UNREG, 1, 0, 2, ctl=LISTEN),
        "link-events": event(EV_LINK_RENAME, 0, 1) +
        event(EV_LINK_QUEUES, 1, 2) + event(EV_LINK_ANNOUNCE, 3) +
        req(LINK_GET, ctl=DUMP | LISTEN) +
        event(EV_WORKER_UNREG, 0),
    }


# Inputs that reproduced what nl_fuzz found in vr_sched, all fixed since:
# regression inputs, replayed after every fuzz run. Kept out of the corpus
# so that a fuzz run looks for new problems.
def nl_findings():
    return {
        # Worker 3 runs SCHED_DEADLINE; CPU 9 is online but not active.
        "nl-dl-partial": req(WORKER_SET, u32(W_ID, 3), string(W_CPUS, "9"),
                             nest(W_SCHED, u32(S_POLICY, OTHER))),
        # mvq1 has no queue: weights are accepted ahead of time.
        "nl-link-size": req(LINK_SET, string(L_NAME, "mvq1"),
                            *[u32(L_WEIGHT, 5)] * 12) +
        req(LINK_GET, string(L_NAME, "mvq1")),
        "nl-rule-pid": req(RULE_ADD, u32(R_PID, 0x80000000),
                           string(R_CPUS, "1")),
    }


def nl_main():
    for sub, items in (("corpus/nl", nl_seeds()), ("findings", nl_findings())):
        out = os.path.join(HERE, sub)
        os.makedirs(out, exist_ok=True)
        for name, data in items.items():
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
    nl_main()
