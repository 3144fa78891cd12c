#!/usr/bin/python3
"""Independent check of rc2 attachments with PyNaCl, written from docs/PROTOCOL.md ("Attachments").

Usage: interop_attachment.py FILE   opens docs/attachment-vectors.json: the meta envelope, every
                                    chunk in order, the padding, and the attachment hash; checks that
                                    a truncated or reordered stream is refused. Prints "ok ..." lines.
       interop_attachment.py --seal seals a fresh random file and prints it as JSON for the
                                    TypeScript side to open.
"""
import base64
import hashlib
import json
import os
import sys

import nacl.bindings as b
import nacl.hash
from nacl.encoding import RawEncoder

CHUNK = 65536
SEALED = CHUNK + 17
TAG_MESSAGE = b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def d64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def e64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bucket(size):
    if size > 1 << 20:
        return -(-size // (1 << 20)) * (1 << 20)
    n = CHUNK
    while n < size:
        n *= 2
    return n


def pad(m):
    size = 1024
    while size < len(m) + 1:
        size *= 2
    return m + b"\x80" + b"\x00" * (size - len(m) - 1)


def open_meta(case_key, ad, env):
    ct, nonce = d64(env["ct"]), d64(env["nonce"])
    assert ct[0] == 2
    padded = b.crypto_aead_xchacha20poly1305_ietf_decrypt(ct[1:], b"\x02" + ad, nonce, case_key)
    body = padded.rstrip(b"\x00")
    assert body.endswith(b"\x80")
    doc = json.loads(body[:-1])
    assert doc["schema"] == "rc1/attachment"
    assert doc["chunks"] == bucket(doc["size"]) // CHUNK
    return doc


def open_stream(doc, chunks):
    """Opens every chunk in order; the last (and only the last) carries TAG_FINAL. Returns the file."""
    if len(chunks) != doc["chunks"]:
        raise ValueError("wrong chunk count")
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, d64(doc["header"]), d64(doc["key"]))
    out = bytearray()
    for i, c in enumerate(chunks):
        if len(c) != SEALED:
            raise ValueError("wrong chunk length")
        msg, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, c, None)
        if (tag == TAG_FINAL) != (i == len(chunks) - 1):
            raise ValueError("stream ends in the wrong place")
        out += msg
    return bytes(out[: doc["size"]])


def attachment_hash(chunks):
    h = hashlib.blake2b(digest_size=32, key=b"rc2 attachment hash")
    for c in chunks:
        h.update(c)
    return h.digest()


def check(path):
    v = json.load(open(path))
    case_key, pk, aid = d64(v["caseKey"]), d64(v["reporterPk"]), d64(v["attachmentId"])
    ad = b"rc1/attachment" + pk + aid
    assert ad == d64(v["recordAd"])
    doc = open_meta(case_key, ad, v["meta"])
    print("ok meta", doc["name"], doc["size"], doc["chunks"])
    chunks = [d64(c) for c in v["chunks"]]
    data = open_stream(doc, chunks)
    assert len(data) == v["fileSize"] and data == bytes(i % 251 for i in range(v["fileSize"]))
    assert nacl.hash.blake2b(data, 32, encoder=RawEncoder) == d64(v["fileH0"])
    print("ok stream", len(data))
    assert attachment_hash(chunks) == d64(v["attachmentHash"])
    print("ok hash", v["attachmentHash"])
    for name, bad in (("truncated", chunks[:1]), ("reordered", chunks[::-1])):
        try:
            open_stream(doc, bad)
        except Exception:
            print("ok refused", name)
        else:
            raise SystemExit("accepted a " + name + " stream")


def seal():
    case_key, pk, aid = os.urandom(32), os.urandom(32), os.urandom(16)
    data = os.urandom(CHUNK + 123)
    key = os.urandom(32)
    state = b.crypto_secretstream_xchacha20poly1305_state()
    header = b.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    n = bucket(len(data)) // CHUNK
    padded = data + b"\x00" * (n * CHUNK - len(data))
    chunks = [b.crypto_secretstream_xchacha20poly1305_push(state, padded[i * CHUNK:(i + 1) * CHUNK], None,
                                                           TAG_FINAL if i == n - 1 else TAG_MESSAGE) for i in range(n)]
    doc = {"schema": "rc1/attachment", "name": "from-python.bin", "type": "application/octet-stream",
           "size": len(data), "key": e64(key), "header": e64(header), "chunks": n}
    nonce = os.urandom(24)
    ct = b"\x02" + b.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(json.dumps(doc).encode()), b"\x02" + b"rc1/attachment" + pk + aid, nonce, case_key)
    print(json.dumps({"caseKey": e64(case_key), "reporterPk": e64(pk), "attachmentId": e64(aid),
                      "meta": {"nonce": e64(nonce), "ct": e64(ct)}, "chunks": [e64(c) for c in chunks],
                      "fileH0": e64(nacl.hash.blake2b(data, 32, encoder=RawEncoder)),
                      "attachmentHash": e64(attachment_hash(chunks))}))


if sys.argv[1] == "--seal":
    seal()
else:
    check(sys.argv[1])
