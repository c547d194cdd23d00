#!/usr/bin/env python3
"""Checks the workspace's `rust-version` against what can be checked on a machine with one
toolchain: every crate that a user of the published crates compiles (the normal and build
dependencies of each publishable workspace member, all features on) must declare a
`rust-version` no newer than ours. Exits 1 naming each crate that needs a newer compiler.

Together with clippy's `incompatible_msrv` lint (standard library items newer than the
MSRV, run by the clippy stage) this is the MSRV check; see CONTRIBUTING.md."""
import json
import subprocess
import sys


def version(s):
    parts = [int(p) for p in s.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(subprocess.check_output(
    ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"]))
packages = {p["id"]: p for p in meta["packages"]}
members = [packages[i] for i in meta["workspace_members"]]
published = [p for p in members if p.get("publish") != []]
ours = {p["rust_version"] for p in published}
if len(ours) != 1 or None in ours:
    sys.exit(f"msrv: publishable members disagree on rust-version: {sorted(map(str, ours))}")
msrv = ours.pop()

nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
seen, stack = set(), [p["id"] for p in published]
while stack:
    pid = stack.pop()
    if pid in seen:
        continue
    seen.add(pid)
    for d in nodes[pid]["deps"]:
        if any(k["kind"] in (None, "build") for k in d["dep_kinds"]):
            stack.append(d["pkg"])

too_new = sorted(
    (packages[i]["name"], packages[i]["version"], packages[i]["rust_version"])
    for i in seen
    if packages[i].get("rust_version") and version(packages[i]["rust_version"]) > version(msrv))
for name, ver, rv in too_new:
    print(f"msrv: {name} {ver} needs rust {rv}, newer than the workspace's {msrv}")
print(f"msrv: {len(seen)} crates in the published crates' builds checked against rust-version {msrv}")
sys.exit(1 if too_new else 0)
