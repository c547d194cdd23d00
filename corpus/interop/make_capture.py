#!/usr/bin/python3
"""Records an ICE session between libnice and this toolkit's ice-agent over loopback.

  /usr/bin/python3 corpus/interop/make_capture.py        (as root, from the repository root)

libnice (Debian libnice10 through python3-gi, ice-agent/tests/interop/libnice_peer.py,
controlling, regular nomination) and ice-agent's json_peer example (controlled, echoing)
exchange candidates over the JSON-lines signalling of ice-agent/tests/interop; once both
report `connected`, libnice sends "hello" and json_peer echoes it. dumpcap records the UDP
traffic on lo. Writes, next to this script:

  libnice-ice-agent.pcapng              the capture
  libnice-ice-agent.signalling.jsonl    every signalling line, tagged with its peer
  libnice-ice-agent.tshark.tsv          tshark's dissection of each STUN frame (the oracle)

Needs dumpcap and tshark (Debian tshark), libnice10, gir1.2-nice-0.1, python3-gi, and a
release build of the example (cargo build --release -p ice-agent --example json_peer).
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NAME = os.path.join(HERE, "libnice-ice-agent")
FILTER = "udp and host 127.0.0.1 and not port 1900 and not port 5353"


def main() -> int:
    pcap = NAME + ".pcapng"
    dump = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", FILTER, "-w", pcap],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    peers = {
        "libnice": subprocess.Popen(
            ["/usr/bin/python3", os.path.join(ROOT, "ice-agent/tests/interop/libnice_peer.py"),
             "--regular", "--no-tcp", "--timeout", "10"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
        "ice-agent": subprocess.Popen(
            [os.path.join(ROOT, "target/release/examples/json_peer"), "--controlled", "--echo",
             "--timeout", "10"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
    }
    other = {"libnice": "ice-agent", "ice-agent": "libnice"}
    log = []
    connected = set()
    echoed = False

    def forward(name: str, msg: dict) -> None:
        peers[other[name]].stdin.write(json.dumps(msg) + "\n")
        peers[other[name]].stdin.flush()

    # Both peers start by printing their credentials and candidates; relay line by line,
    # alternating, until libnice has its echo back.
    import selectors
    sel = selectors.DefaultSelector()
    for name, p in peers.items():
        sel.register(p.stdout, selectors.EVENT_READ, name)
    deadline = time.time() + 15
    while time.time() < deadline and not echoed:
        for key, _ in sel.select(timeout=0.5):
            name = key.data
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                continue
            msg = json.loads(line)
            log.append({"peer": name, **msg})
            t = msg.get("type")
            if t == "local-description":
                forward(name, {"type": "remote-description", "ufrag": msg["ufrag"],
                               "pwd": msg["pwd"]})
            elif t in ("candidate", "end-of-candidates"):
                forward(name, msg)
            elif t == "connected":
                connected.add(name)
                if connected == set(peers):
                    peers["libnice"].stdin.write(
                        json.dumps({"type": "send", "hex": b"hello".hex()}) + "\n")
                    peers["libnice"].stdin.flush()
            elif t == "data" and name == "libnice":
                echoed = True
    time.sleep(0.3)
    for p in peers.values():
        try:
            p.stdin.write(json.dumps({"type": "close"}) + "\n")
            p.stdin.flush()
        except BrokenPipeError:
            pass
    for p in peers.values():
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    time.sleep(0.5)
    dump.terminate()
    dump.wait()
    with open(NAME + ".signalling.jsonl", "w") as f:
        for m in log:
            f.write(json.dumps(m, sort_keys=True) + "\n")
    fields = ["frame.number", "stun.type.class", "stun.type.method", "stun.id",
              "stun.att.username", "stun.att.priority", "stun.att.ipv4", "stun.att.port"]
    tsv = subprocess.run(
        ["tshark", "-n", "-r", os.path.relpath(pcap, HERE), "-Y", "stun", "-T", "fields"]
        + [a for f in fields for a in ("-e", f)],
        cwd=HERE, check=True, capture_output=True, text=True).stdout
    with open(NAME + ".tshark.tsv", "w") as f:
        f.write("\t".join(fields) + "\n" + tsv)
    if not echoed:
        print("no echo: the session did not complete", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
