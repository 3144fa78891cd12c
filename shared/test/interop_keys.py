#!/usr/bin/python3
"""Independent check of the rc2 key certificates with PyNaCl, written from docs/PROTOCOL.md
("Key certificates" and "The key log").

Usage: interop_keys.py FILE      checks docs/key-vectors.json, one "ok ..." line per check.
       interop_keys.py --sign    makes a fresh org -> lead -> member chain and a recovery
                                 certificate with random keys and prints them as JSON, so the
                                 TypeScript side can verify them.
Exits non-zero on the first mismatch.
"""
import base64
import json
import os
import sys

import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.signing
from nacl.encoding import RawEncoder

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def d64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def e64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def H(key, msg):
    return nacl.hash.blake2b(msg, 32, key=key, encoder=RawEncoder)


def field(b):
    assert len(b) < 256
    return bytes([len(b)]) + b


def cert_body(f):
    return (b"RCK2" + field(f["kind"].encode()) + field(f["team"].encode()) + field(f["subject"].encode())
            + field(d64(f["key"])) + bytes([1 if f["seesIdentity"] else 0]) + field(f["issued"].encode())
            + field(d64(f["replaces"]) if f["replaces"] else b"") + field(d64(f["signer"])))


def sign(body, seed):
    return nacl.signing.SigningKey(seed).sign(b"rc2 key certificate\x00" + body, encoder=RawEncoder).signature


def verified(body, sig, signer):
    try:
        nacl.signing.VerifyKey(signer).verify(b"rc2 key certificate\x00" + body, sig)
        return True
    except nacl.exceptions.BadSignatureError:
        return False


def signer_of(body):
    # The last field is the 32-byte signer key, preceded by its length byte.
    assert body[-33] == 32
    return body[-32:]


def opaque(label, prefix, key):
    return prefix + e64(H(label, key)[:12])


def fingerprint(key):
    n = int.from_bytes(H(b"rc2 key fingerprint", key)[:10], "big")
    s = "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in range(15, -1, -1))
    return " ".join(s[i:i + 4] for i in range(0, 16, 4))


def log_entry(e):
    return (b"RCL2" + field(e["team"].encode()) + e["seq"].to_bytes(4, "big") + field(e["action"].encode())
            + field(e["subject"].encode()) + field(d64(e["cert"])))


def check(path):
    v = json.load(open(path))
    org = nacl.signing.SigningKey(d64(v["orgSeed"]))
    lead = nacl.signing.SigningKey(d64(v["leadSeed"]))
    assert e64(bytes(org.verify_key)) == v["orgPublicKey"], "org key"
    assert e64(bytes(lead.verify_key)) == v["leadPublicKey"], "lead key"
    print("ok keys from seeds")
    for name, c in v["certificates"].items():
        body = cert_body(c["fields"])
        assert e64(body) == c["body"], name + " body"
        seed = d64(v["leadSeed"] if name == "member" else v["orgSeed"])
        assert e64(sign(body, seed)) == c["sig"], name + " signature"
        assert verified(body, d64(c["sig"]), signer_of(body)), name + " verifies"
        assert e64(H(b"rc2 certificate id", body)) == c["hash"], name + " hash"
        print("ok certificate " + name)
    # The chain: member signed by the lead key that the organisation certified for the same team.
    m, l = v["certificates"]["member"]["fields"], v["certificates"]["lead"]["fields"]
    assert m["signer"] == l["key"] and l["signer"] == v["orgPublicKey"] and m["team"] == l["team"] == v["team"], "chain"
    print("ok chain")
    for r in v["refused"]:
        body = d64(r["body"])
        assert not verified(body, d64(r["sig"]), signer_of(body)), "accepted a refused vector: " + r["why"]
        print("ok refused: " + r["why"])
    ids = v["ids"]
    assert opaque(b"rc2 recipient id", "k", d64(ids["memberKey"])) == ids["recipientId"], "recipient id"
    assert opaque(b"rc2 signer id", "s", d64(v["leadPublicKey"])) == ids["signerId"], "signer id"
    assert fingerprint(d64(ids["memberKey"])) == ids["fingerprint"], "fingerprint"
    print("ok ids and fingerprint")
    prev = bytes(32)
    for e in v["log"]:
        prev = H(b"rc2 key log entry", prev + log_entry(e))
        assert e64(prev) == e["hash"], "log hash %d" % e["seq"]
    last = v["log"][-1]
    head = field(v["team"].encode()) + last["seq"].to_bytes(4, "big") + prev
    nacl.signing.VerifyKey(d64(last["headSigner"])).verify(b"rc2 key log head\x00" + head, d64(last["headSig"]))
    print("ok key log")


def fresh():
    org, lead = nacl.signing.SigningKey.generate(), nacl.signing.SigningKey.generate()
    member, recovery = nacl.public.PrivateKey.generate().public_key, nacl.public.PrivateKey.generate().public_key
    lk, mk, rk = bytes(lead.verify_key), bytes(member), bytes(recovery)
    team = "dps-central"

    def make(f, key):
        body = cert_body(f)
        return {"body": e64(body), "sig": e64(key.sign(b"rc2 key certificate\x00" + body).signature)}

    base = {"team": team, "issued": "2025-04-01", "replaces": None}
    lead_cert = make(dict(base, kind="lead", subject=opaque(b"rc2 signer id", "s", lk), key=e64(lk),
                          seesIdentity=False, signer=e64(bytes(org.verify_key))), org)
    member_id = opaque(b"rc2 recipient id", "k", mk)
    member_cert = make(dict(base, kind="member", subject=member_id, key=e64(mk), seesIdentity=False,
                            replaces=e64(os.urandom(32)), signer=e64(lk)), lead)
    rec_cert = make(dict(base, kind="recovery", team="", subject="recovery-abcdef012345", key=e64(rk),
                         seesIdentity=True, signer=e64(bytes(org.verify_key))), org)
    print(json.dumps({
        "orgPublicKey": e64(bytes(org.verify_key)), "team": team,
        "recipients": [
            {"id": member_id, "publicKey": e64(mk), "kind": "staff", "seesIdentity": False, "chain": [member_cert, lead_cert]},
            {"id": "recovery-abcdef012345", "publicKey": e64(rk), "kind": "recovery", "seesIdentity": True, "chain": [rec_cert]},
        ],
        "fingerprint": fingerprint(mk),
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sign"]:
        fresh()
    else:
        check(sys.argv[1])
