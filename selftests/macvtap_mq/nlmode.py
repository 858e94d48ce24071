#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Create a macvtap_mq link with IFLA_MACVLAN_MODE, or read a link's mode,
over raw rtnetlink (stock iproute2 cannot pass options for this kind).

  nlmode.py add LOWER NAME MODE   MODE: private vepa bridge passthru or a number
  nlmode.py get NAME              prints the mode name (or "none")
Exits with the errno of a refused request.
"""
import socket
import struct
import sys

RTM_NEWLINK, RTM_GETLINK = 16, 18
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2
IFLA_IFNAME, IFLA_LINK, IFLA_LINKINFO = 3, 5, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFLA_MACVLAN_MODE = 1
NLA_F_NESTED = 0x8000
MODES = {"private": 1, "vepa": 2, "bridge": 4, "passthru": 8, "source": 16}


def attr(kind, payload):
    a = struct.pack("HH", 4 + len(payload), kind) + payload
    return a + b"\0" * (-len(a) % 4)


def attrs(buf):
    while len(buf) >= 4:
        alen, kind = struct.unpack_from("HH", buf)
        if alen < 4:
            return
        yield kind & ~NLA_F_NESTED, buf[4:alen]
        buf = buf[(alen + 3) & ~3:]


def request(msg_type, flags, body):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.send(struct.pack("IHHII", 16 + len(body), msg_type, flags, 1, 0) + body)
    while True:
        data = s.recv(65536)
        _, mtype, _, _, _ = struct.unpack_from("IHHII", data)
        if mtype == NLMSG_ERROR:
            err = struct.unpack_from("i", data, 16)[0]
            if err:
                print("error", -err)
                sys.exit(-err)
            return None
        return data


def ifinfo(index=0):
    return struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, 0, 0)


def main():
    if sys.argv[1] == "add":
        lower, name, mode = sys.argv[2:5]
        info = attr(IFLA_INFO_KIND, b"macvtap_mq\0")
        info += attr(IFLA_INFO_DATA | NLA_F_NESTED,
                     attr(IFLA_MACVLAN_MODE, struct.pack("I", MODES[mode] if mode in MODES else int(mode))))
        body = ifinfo() + attr(IFLA_IFNAME, name.encode() + b"\0")
        body += attr(IFLA_LINK, struct.pack("i", socket.if_nametoindex(lower)))
        body += attr(IFLA_LINKINFO | NLA_F_NESTED, info)
        request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
                NLM_F_EXCL, body)
        print("added", name, mode)
    else:
        data = request(RTM_GETLINK, NLM_F_REQUEST,
                       ifinfo(socket.if_nametoindex(sys.argv[2])))
        mode = "none"
        for kind, val in attrs(data[32:]):
            if kind != IFLA_LINKINFO:
                continue
            for ikind, ival in attrs(val):
                if ikind != IFLA_INFO_DATA:
                    continue
                for mkind, mval in attrs(ival):
                    if mkind == IFLA_MACVLAN_MODE:
                        num = struct.unpack("I", mval[:4])[0]
                        mode = {v: k for k, v in MODES.items()}.get(num, num)
        print(mode)


main()
