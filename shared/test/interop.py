#!/usr/bin/python3
"""Independent check of rc1 and rc2 with PyNaCl (Debian's python3-nacl), written from docs/PROTOCOL.md.

Usage: interop.py VECTORS.json...   checks every rc1 vector, prints one line each.
       interop.py --rc2 FILE        checks docs/rc2-vectors.json (versioned envelopes, PoW stamps).
       interop.py --seal [--rc2]    seals a fresh report with random values (rc1, or rc2 with
                                    the version byte) and prints it as JSON, so the TypeScript
                                    side can open it.
Exits non-zero on the first mismatch.
"""
import base64
import json
import os
import sys

import nacl.bindings as b
import nacl.hash
import nacl.public
from nacl.encoding import RawEncoder

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def d64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def e64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def H(key, msg):
    return nacl.hash.blake2b(msg, 32, key=key, encoder=RawEncoder)


def H0(msg):
    return nacl.hash.blake2b(msg, 32, encoder=RawEncoder)


def show_token(t):
    n = int.from_bytes(t, "big")
    chars = "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in range(23, -1, -1))
    chars += CROCKFORD[H0(t)[0] >> 3]
    return "-".join(chars[i:i + 5] for i in range(0, 25, 5))


def bucket(n):
    if n > 65536:
        return -(-n // 65536) * 65536
    size = 1024
    while size < n:
        size *= 2
    return size


def pad(m):
    return m + b"\x80" + b"\x00" * (bucket(len(m) + 1) - len(m) - 1)


def unpad(p):
    body = p.rstrip(b"\x00")
    assert body.endswith(b"\x80"), "bad padding"
    return body[:-1]


def aead_open(key, ad, env):
    padded = b.crypto_aead_xchacha20poly1305_ietf_decrypt(d64(env["ct"]), ad, d64(env["nonce"]), key)
    return padded


def check(v):
    t = d64(v["tokenBytes"])
    assert len(t) == 15
    assert show_token(t) == v["token"], "token display"
    access_key = H(b"rc1 case access key", t)
    assert e64(access_key) == v["accessKey"], "accessKey"
    assert e64(H0(access_key)) == v["accessHash"], "accessHash"
    reporter = nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", t))
    rpk = bytes(reporter.public_key)
    assert e64(rpk) == v["reporterPk"], "reporterPk"
    case_key = d64(v["caseKey"])
    padded = aead_open(case_key, b"rc1/report" + rpk, v["envelope"])
    if "paddedLength" in v:
        assert len(padded) == v["paddedLength"], "padded length"
    assert len(padded) == bucket(len(unpad(padded)) + 1), "bucket"
    assert json.loads(unpad(padded).decode()) == v["report"], "report plaintext"
    if "identityEnvelope" in v:
        ident = unpad(aead_open(d64(v["identityKey"]), b"rc1/identity" + rpk, v["identityEnvelope"]))
        assert json.loads(ident.decode()) == v["identity"], "identity plaintext"
    if "messageEnvelope" in v:
        ad = b"rc1/message" + rpk + d64(v["messageId"])
        msg = unpad(aead_open(case_key, ad, v["messageEnvelope"]))
        assert json.loads(msg.decode()) == v["message"], "message plaintext"
    if "caseKeyWrap" in v:
        recipient = nacl.public.PrivateKey.from_seed(d64(v["recipientSeed"]))
        assert e64(bytes(recipient.public_key)) == v["recipientPk"], "recipient pk"
        assert nacl.public.SealedBox(recipient).decrypt(d64(v["caseKeyWrap"])) == case_key, "recipient wrap"
        assert nacl.public.SealedBox(reporter).decrypt(d64(v["reporterKeyWrap"])) == case_key, "reporter wrap"
    return v["token"]


def is_bucket(n):
    return n >= 1024 and ((n <= 65536 and n & (n - 1) == 0) or (n > 65536 and n % 65536 == 0))


def open_versioned(key, ad, env):
    """rc2 readers: no header and bucket+16 bytes is rc1; 0x02 and 1+bucket+16 is rc2 (0x02 also heads the AD)."""
    ct = d64(env["ct"])
    if is_bucket(len(ct) - 16):
        return 1, aead_open(key, ad, env)
    assert ct[0] == 2 and is_bucket(len(ct) - 17), "unknown envelope version"
    return 2, b.crypto_aead_xchacha20poly1305_ietf_decrypt(ct[1:], b"\x02" + ad, d64(env["nonce"]), key)


def zero_bits(h):
    return len(h) * 8 - int.from_bytes(h, "big").bit_length()


def check_rc2(path):
    with open(path) as f:
        v = json.load(f)
    reporter = nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", d64(v["tokenBytes"])))
    rpk = bytes(reporter.public_key)
    assert e64(rpk) == v["reporterPk"], "reporterPk"
    rid = d64(v["recordId"])
    ads = {"report": b"rc1/report" + rpk, "identity": b"rc1/identity" + rpk,
           "message": b"rc1/message" + rpk + rid, "note": b"rc1/note" + rpk + rid,
           "survey": b"rc1/survey" + rpk + rid,
           "advice": b"rc1/advice" + rpk}
    for env in v["envelopes"]:
        ad = ads[env["kind"]]
        assert e64(ad) == env["recordAd"], "record AD " + env["kind"]
        key = d64(env["key"])
        version, padded = open_versioned(key, ad, env)
        assert version == 2, "version"
        assert json.loads(unpad(padded).decode()) == env["plaintext"], "plaintext " + env["kind"]
        again = b"\x02" + b.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, b"\x02" + ad, d64(env["nonce"]), key)
        assert e64(again) == env["ct"], "re-seal " + env["kind"]
        print("ok rc2 envelope", env["kind"])
    for s in v["pow"]:
        h = H0(d64(s["challenge"]) + d64(s["nonce"]))
        assert len(d64(s["nonce"])) == 8
        assert e64(h) == s["hash"], "pow hash"
        assert zero_bits(h) == s["leadingZeroBits"], "zero bits"
        assert (zero_bits(h) >= s["difficulty"]) == s["valid"], "verdict"
        print("ok rc2 stamp", s["difficulty"], s["valid"])


def seal_fresh(rc2=False):
    t = os.urandom(15)
    access_key = H(b"rc1 case access key", t)
    reporter = nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", t))
    rpk = bytes(reporter.public_key)
    case_key = os.urandom(32)
    nonce = os.urandom(24)
    report = {"schema": "rc1/report", "narrative": "Sealed by PyNaCl, opened by TypeScript"}
    header = b"\x02" if rc2 else b""
    ct = header + b.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(json.dumps(report).encode()), header + b"rc1/report" + rpk, nonce, case_key)
    print(json.dumps({
        "tokenBytes": e64(t), "token": show_token(t), "accessKey": e64(access_key),
        "accessHash": e64(H0(access_key)), "reporterPk": e64(rpk), "report": report,
        "reporterKeyWrap": e64(nacl.public.SealedBox(nacl.public.PublicKey(rpk)).encrypt(case_key)),
        "envelope": {"nonce": e64(nonce), "ct": e64(ct)},
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seal"]:
        seal_fresh(rc2=sys.argv[2:] == ["--rc2"])
        sys.exit(0)
    if sys.argv[1:2] == ["--rc2"]:
        check_rc2(sys.argv[2])
        sys.exit(0)
    for path in sys.argv[1:]:
        with open(path) as f:
            for v in json.load(f)["vectors"]:
                print("ok", path.rsplit("/", 1)[-1], check(v))
