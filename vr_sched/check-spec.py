#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the vr_sched UAPI header matches its YNL spec.

Usage: check-spec.py [SPEC [HEADER]]
Defaults: Documentation/netlink/specs/vr_sched.yaml and
include/uapi/linux/vr_sched.h, relative to the repository root.

Derives every C enum (definitions, attribute sets, commands), its values
and its __MAX/MAX members, the family name/version defines and the
multicast group defines the way YNL's genetlink-c rendering names them,
and compares them with what the header declares. Exits 1 on any
difference, printing each one. Needs python3 and python3-yaml only.
"""
import os
import re
import sys

import yaml


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


def expected(spec):
    """Return ({enum name: [(member, value)]}, {define: value})."""
    fam = spec['name']
    enums = {}
    defines = {}

    defines[c_upper(spec.get('c-family-name', fam + '-family-name'))] = '"%s"' % fam
    defines[c_upper(spec.get('c-version-name', fam + '-family-version'))] = \
        str(spec.get('version', 1))

    for d in spec.get('definitions', []):
        if d['type'] not in ('enum', 'flags'):
            continue
        prefix = d.get('name-prefix', '%s-%s-' % (fam, d['name']))
        ename = c_lower(d.get('enum-name', '%s-%s' % (fam, d['name'])))
        val = d.get('value-start', 0)
        members = []
        for e in d['entries']:
            ent = e if isinstance(e, dict) else {'name': e}
            if 'value' in ent:
                val = ent['value']
            members.append((c_upper(prefix + ent['name']),
                            (1 << val) if d['type'] == 'flags' else val))
            val += 1
        if d.get('render-max'):
            mx = c_upper(prefix + 'max')
            members.append(('__' + mx, val))
            members.append((mx, val - 1))
        enums[ename] = members

    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        prefix = s.get('name-prefix', '%s-a-%s-' % (fam, s['name']))
        ename = c_lower(s.get('enum-name', '%s-a-%s' % (fam, s['name'])))
        val = 1
        members = []
        for a in s['attributes']:
            if 'value' in a:
                val = a['value']
            members.append((c_upper(prefix + a['name']), val))
            val += 1
        cnt = c_upper(s.get('attr-cnt-name', '__' + prefix + 'max'))
        mx = c_upper(s.get('attr-max-name', prefix + 'max'))
        members.append((cnt, val))
        members.append((mx, val - 1))
        enums[ename] = members

    ops = spec['operations']
    prefix = ops.get('name-prefix', fam + '-cmd-')
    ename = c_lower(ops.get('enum-name', fam + '-cmd'))
    val = 1
    members = []
    for op in ops['list']:
        if 'value' in op:
            val = op['value']
        members.append((c_upper(prefix + op['name']), val))
        val += 1
    members.append((c_upper(spec.get('cmd-cnt-name', '__' + prefix + 'max')), val))
    members.append((c_upper(spec.get('cmd-max-name', prefix + 'max')), val - 1))
    enums[ename] = members

    for g in spec.get('mcast-groups', {}).get('list', []):
        name = g.get('c-define-name', '%s-mcgrp-%s' % (fam, g['name']))
        defines[c_upper(name)] = '"%s"' % g['name']
    return enums, defines


def parse_header(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\}\s*;', text, re.S):
        name, body = m.group(1), m.group(2)
        members, vals, val = [], {}, 0
        for item in [i.strip() for i in body.split(',') if i.strip()]:
            if '=' in item:
                k, expr = [x.strip() for x in item.split('=', 1)]
                expr = expr.strip('()')
                mm = re.fullmatch(r'(\w+)\s*-\s*1', expr)
                if mm and mm.group(1) in vals:
                    val = vals[mm.group(1)] - 1
                elif mm is None and re.fullmatch(r'\w+', expr) and expr in vals:
                    val = vals[expr]
                else:
                    val = int(expr, 0)
            else:
                k = item
            members.append((k, val))
            vals[k] = val
            val += 1
        enums[name] = members
    defines = {}
    for m in re.finditer(r'^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$', text, re.M):
        defines[m.group(1)] = m.group(2)
    return enums, defines


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec_path = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(root, 'Documentation/netlink/specs/vr_sched.yaml')
    hdr_path = sys.argv[2] if len(sys.argv) > 2 else \
        os.path.join(root, 'include/uapi/linux/vr_sched.h')
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(hdr_path) as f:
        h_enums, h_defines = parse_header(f.read())
    e_enums, e_defines = expected(spec)

    errors = []
    for name, members in e_enums.items():
        if name not in h_enums:
            errors.append('enum %s: missing from the header' % name)
            continue
        if h_enums[name] != members:
            errors.append('enum %s differs:\n  spec:   %s\n  header: %s' %
                          (name, members, h_enums[name]))
    for name in h_enums:
        if name not in e_enums:
            errors.append('enum %s: in the header, not in the spec' % name)
    for name, value in e_defines.items():
        if h_defines.get(name) != value:
            errors.append('#define %s: spec says %s, header has %s' %
                          (name, value, h_defines.get(name)))
    for e in errors:
        print('check-spec: ' + e, file=sys.stderr)
    if errors:
        return 1
    print('check-spec: %s matches %s (%d enums)' %
          (os.path.relpath(hdr_path, root), os.path.relpath(spec_path, root),
           len(e_enums)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
