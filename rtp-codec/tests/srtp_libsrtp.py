"""libsrtp (through pylibsrtp) as the peer of the SRTP interop test.

Reads one JSON document from standard input:

    {"profile": "AES128_CM_SHA1_80", "key": "<hex master key || master salt>",
     "ops": [{"op": "protect" | "unprotect" | "protect_rtcp" | "unprotect_rtcp",
              "data": "<hex packet>"}, ...]}

and writes a JSON list with one entry per operation, {"ok": "<hex>"} or {"error": "<libsrtp
message>"}, in order. Protect operations go through one outbound session and unprotect
operations through one inbound session, both keyed with `key`, so the sender's rollover
counter and SRTCP index and the receiver's replay lists carry from one operation to the next.
With "profiles" as the only key it lists the profiles pylibsrtp offers instead.
"""

import json
import sys

import pylibsrtp


def main() -> None:
    request = json.load(sys.stdin)
    if "profiles" in request:
        names = [n[len("SRTP_PROFILE_"):] for n in dir(pylibsrtp.Policy) if n.startswith("SRTP_PROFILE_")]
        json.dump(sorted(names), sys.stdout)
        return
    profile = getattr(pylibsrtp.Policy, "SRTP_PROFILE_" + request["profile"])
    key = bytes.fromhex(request["key"])
    tx = pylibsrtp.Session(
        pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND, srtp_profile=profile)
    )
    rx = pylibsrtp.Session(
        pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND, srtp_profile=profile)
    )
    calls = {
        "protect": tx.protect,
        "protect_rtcp": tx.protect_rtcp,
        "unprotect": rx.unprotect,
        "unprotect_rtcp": rx.unprotect_rtcp,
    }
    results = []
    for op in request["ops"]:
        try:
            results.append({"ok": calls[op["op"]](bytes.fromhex(op["data"])).hex()})
        except pylibsrtp.Error as e:
            results.append({"error": str(e)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
