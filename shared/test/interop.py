#!/usr/bin/python3
"""Independent check of rc1 with PyNaCl (Debian's python3-nacl), written from PROTOCOL.md.

Usage: interop.py VECTORS.json...   checks every vector, prints one line each.
       interop.py --seal            seals a fresh report with random values and prints
                                    it as JSON, so the TypeScript side can open it.
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


def seal_fresh():
    t = os.urandom(15)
    access_key = H(b"rc1 case access key", t)
    reporter = nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", t))
    rpk = bytes(reporter.public_key)
    case_key = os.urandom(32)
    nonce = os.urandom(24)
    report = {"schema": "rc1/report", "narrative": "Sealed by PyNaCl, opened by TypeScript"}
    ct = b.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(json.dumps(report).encode()), b"rc1/report" + rpk, nonce, case_key)
    print(json.dumps({
        "tokenBytes": e64(t), "token": show_token(t), "accessKey": e64(access_key),
        "accessHash": e64(H0(access_key)), "reporterPk": e64(rpk), "report": report,
        "reporterKeyWrap": e64(nacl.public.SealedBox(nacl.public.PublicKey(rpk)).encrypt(case_key)),
        "envelope": {"nonce": e64(nonce), "ct": e64(ct)},
    }))


if __name__ == "__main__":
    if sys.argv[1:] == ["--seal"]:
        seal_fresh()
        sys.exit(0)
    for path in sys.argv[1:]:
        with open(path) as f:
            for v in json.load(f)["vectors"]:
                print("ok", path.rsplit("/", 1)[-1], check(v))
