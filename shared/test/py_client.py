#!/usr/bin/python3
"""An independent rc2 reporter client, written from docs/PROTOCOL.md alone, with
PyNaCl and the Python standard library (no project code).

Usage: py_client.py BASE_URL SQLITE_FILE
Solves proof-of-work stamps, submits an anonymous report, reads the case back with the token's access key,
posts a message, then opens the stored envelopes straight from the database
file with the DEMO ONLY recovery key, as an auditor would. Prints one JSON object.
"""
import base64
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.request

import nacl.bindings as b
import nacl.hash
import nacl.public
from nacl.encoding import RawEncoder

BASE, DB_FILE = sys.argv[1], sys.argv[2]
NARRATIVE = "Written by an independent PyNaCl client: Fennimore Quayle shouted at me"
MESSAGE = "PyNaCl follow-up about Quayle"


def e64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def d64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def H(key, msg):
    return nacl.hash.blake2b(msg, 32, key=key, encoder=RawEncoder)


def H0(msg):
    return nacl.hash.blake2b(msg, 32, encoder=RawEncoder)


def pad(m):
    size = 1024
    while size < len(m) + 1:
        size *= 2
    return m + b"\x80" + b"\x00" * (size - len(m) - 1)


def unpad(p):
    body = p.rstrip(b"\x00")
    assert body.endswith(b"\x80")
    return body[:-1]


def is_bucket(n):
    return n >= 1024 and ((n <= 65536 and n & (n - 1) == 0) or (n > 65536 and n % 65536 == 0))


def seal(key, ad, doc):
    # rc2: version byte 2 in front of the AEAD output, and in front of the additional data.
    nonce = os.urandom(24)
    ct = b"\x02" + b.crypto_aead_xchacha20poly1305_ietf_encrypt(pad(json.dumps(doc).encode()), b"\x02" + ad, nonce, key)
    return {"nonce": e64(nonce), "ct": e64(ct)}


def open_env(key, ad, env):
    ct, nonce = d64(env["ct"]), d64(env["nonce"])
    if is_bucket(len(ct) - 16):  # rc1: no header
        padded = b.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, ad, nonce, key)
    elif ct[0] == 2 and is_bucket(len(ct) - 17):
        padded = b.crypto_aead_xchacha20poly1305_ietf_decrypt(ct[1:], b"\x02" + ad, nonce, key)
    else:
        raise ValueError("unknown envelope version")
    return json.loads(unpad(padded))


def zero_bits(h):
    n = int.from_bytes(h, "big")
    return len(h) * 8 - n.bit_length()


def stamp():
    """GET /api/v1/pow, then find an 8-byte nonce with BLAKE2b-256(challenge || nonce) >= difficulty zero bits."""
    status, c, _ = call("GET", "/api/v1/pow")
    assert status == 200, c
    challenge, counter = d64(c["challenge"]), int.from_bytes(os.urandom(8), "little")
    while True:
        nonce = counter.to_bytes(8, "little")
        if zero_bits(H0(challenge + nonce)) >= c["difficulty"]:
            return c["challenge"] + "." + e64(nonce)
        counter = (counter + 1) % 2**64


def call(method, path, body=None, auth=None, pow_stamp=None):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        req.add_header("content-type", "application/json")
    if auth:
        req.add_header("authorization", auth)
    if pow_stamp:
        req.add_header("pow-stamp", pow_stamp)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null"), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), dict(err.headers)


out = {}
status, intake, _ = call("GET", "/api/v1/intake")
assert status == 200 and intake["v"] == 2
status, rcp, _ = call("GET", "/api/v1/intake/recipients?category=bullying&unit=cs-response-lambeth")
assert status == 200, rcp
out["team"] = rcp["team"]["id"]

token = os.urandom(15)
access_key = H(b"rc1 case access key", token)
reporter = nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", token))
rpk = bytes(reporter.public_key)
case_key = os.urandom(32)
body = {
    "v": 2, "mode": "anonymous", "category": "bullying", "unit": "cs-response-lambeth",
    "reporterPk": e64(rpk), "accessHash": e64(H0(access_key)),
    "report": seal(case_key, b"rc1/report" + rpk, {"schema": "rc1/report", "narrative": NARRATIVE}),
    "keys": [{"recipient": r["id"], "sealed": e64(nacl.public.SealedBox(nacl.public.PublicKey(d64(r["publicKey"]))).encrypt(case_key))}
             for r in rcp["recipients"]],
    "reporterKey": e64(nacl.public.SealedBox(reporter.public_key).encrypt(case_key)),
}
status, refused, _ = call("POST", "/api/v1/reports", body)
out["noStamp"] = [status, refused["error"]["code"]]
status, created, headers = call("POST", "/api/v1/reports", body, pow_stamp=stamp())
assert status == 201, created
out["caseRef"] = created["caseRef"]
out["setCookie"] = "Set-Cookie" in headers or "set-cookie" in headers
out["rateHeaders"] = sorted(h for h in headers if h.lower().startswith("x-ratelimit"))

auth = "Case " + e64(access_key)
status, view, _ = call("GET", "/api/v1/case", auth=auth)
assert status == 200, view
key = nacl.public.SealedBox(reporter).decrypt(d64(view["reporterKey"]))
out["reportBack"] = open_env(key, b"rc1/report" + rpk, view["report"])["narrative"]

mid = os.urandom(16)
msg = seal(key, b"rc1/message" + rpk + mid, {"schema": "rc1/message", "from": "reporter", "text": MESSAGE})
status, posted, _ = call("POST", "/api/v1/case/messages", {"id": e64(mid), **msg}, auth=auth, pow_stamp=stamp())
assert status == 201, posted
status, wrong, _ = call("GET", "/api/v1/case", auth="Case " + e64(os.urandom(32)))
out["unknownKey"] = [status, wrong["error"]["code"]]

# The auditor's view: the database file, opened with the demo recovery key only.
recovery = nacl.public.PrivateKey.from_seed(H0(b"DEMO ONLY rc1 recovery"))
con = sqlite3.connect(DB_FILE)
row = con.execute("select id, reporter_pk, report_nonce, report_ct from cases where case_ref = ?", (out["caseRef"],)).fetchone()
stored_pk = d64(row[1])
wraps = [r[0] for r in con.execute("select sealed from case_keys where case_id = ? and kind = 'recovery'", (row[0],))]
stored_key = nacl.public.SealedBox(recovery).decrypt(d64(wraps[0]))
out["auditorReport"] = open_env(stored_key, b"rc1/report" + stored_pk, {"nonce": row[2], "ct": row[3]})["narrative"]
m = con.execute("select id, nonce, ct, sender from messages where case_id = ?", (row[0],)).fetchone()
doc = open_env(stored_key, b"rc1/message" + stored_pk + d64(m[0]), {"nonce": m[1], "ct": m[2]})
out["auditorMessage"] = [m[3], doc["from"], doc["text"]]

# Private records (docs/PROTOCOL.md "Private records"): first open the entries of
# docs/record-vectors.json from the document alone, then make, fill, read and delete a live record.
VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "record-vectors.json")
with open(VECTORS) as f:
    rv = json.load(f)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def show_token(t):
    n = int.from_bytes(t, "big")
    chars = "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in range(23, -1, -1)) + CROCKFORD[H0(t)[0] >> 3]
    return "-".join(chars[i:i + 5] for i in range(0, 25, 5))


def u32(n):
    return n.to_bytes(4, "big")


def entry_hash(rid, e):
    ct, sct = d64(e["entry"]["ct"]), d64(e["subject"]["ct"])
    return H(b"rc2 record entry hash", rid + d64(e["id"]) + d64(e["entry"]["nonce"]) + u32(len(ct)) + ct
             + d64(e["subject"]["nonce"]) + u32(len(sct)) + sct)


def open_record_key(t, rid, holder):
    wrap = H(b"rc2 record wrapping key", t)
    return b.crypto_aead_xchacha20poly1305_ietf_decrypt(holder[24:], b"rc2/record-key" + rid, holder[:24], wrap)


vt, vrid = d64(rv["tokenBytes"]), d64(rv["recordId"])
assert "REC-" + show_token(vt) == rv["tokenDisplay"]
assert e64(H0(H(b"rc2 record access key", vt))) == rv["recordAccessHash"]
vkey = open_record_key(vt, vrid, d64(rv["holderKey"]))
assert e64(vkey) == rv["recordKey"]
opened = []
for e in rv["entries"]:
    eid = d64(e["id"])
    doc = open_env(vkey, b"rc2/record-entry" + vrid + eid, e["entry"])
    subj = open_env(vkey, b"rc2/record-subject" + vrid + eid, e["subject"])
    assert doc == e["entry"]["plaintext"] and subj == e["subject"]["plaintext"]
    assert e64(entry_hash(vrid, e)) == e["sealedHash"]
    opened.append(doc["what"][:40])
out["recordVectorEntries"] = opened
# As a case, the same token: case access hash and reporter key under the case labels.
assert e64(H0(H(b"rc1 case access key", vt))) == rv["asCase"]["caseAccessHash"]
assert e64(bytes(nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", vt)).public_key)) == rv["asCase"]["reporterPk"]

rt, rid, rkey = os.urandom(15), os.urandom(16), os.urandom(32)
raccess = H(b"rc2 record access key", rt)
hnonce = os.urandom(24)
holder = hnonce + b.crypto_aead_xchacha20poly1305_ietf_encrypt(rkey, b"rc2/record-key" + rid, hnonce, H(b"rc2 record wrapping key", rt))
status, made, _ = call("POST", "/api/v1/records", {"v": 2, "id": e64(rid), "accessHash": e64(H0(raccess)), "holderKey": e64(holder)}, pow_stamp=stamp())
assert status == 201, made
rauth = "Record " + e64(raccess)
eid = os.urandom(16)
entry = {"id": e64(eid),
         "entry": seal(rkey, b"rc2/record-entry" + rid + eid, {"schema": "rc2/record-entry", "what": "PyNaCl record entry about Quayle"}),
         "subject": seal(rkey, b"rc2/record-subject" + rid + eid, {"schema": "rc2/record-subject", "name": "F. Quayle"})}
status, added, _ = call("POST", "/api/v1/record/entries", entry, auth=rauth, pow_stamp=stamp())
assert status == 201, added
status, rview, _ = call("GET", "/api/v1/record", auth=rauth)
assert status == 200, rview
back_key = open_record_key(rt, d64(rview["id"]), d64(rview["holderKey"]))
got = rview["entries"][0]
out["recordLive"] = [
    open_env(back_key, b"rc2/record-entry" + rid + d64(got["id"]), got["entry"])["what"],
    open_env(back_key, b"rc2/record-subject" + rid + d64(got["id"]), got["subject"])["name"],
    got["on"] == added["on"] and len(got["on"]) == 10,
    e64(entry_hash(rid, got)) == got["sealedHash"] == added["sealedHash"],
]
status, _, _ = call("DELETE", "/api/v1/record", auth=rauth)
out["recordDeleted"] = [status, call("GET", "/api/v1/record", auth=rauth)[0],
                        con.execute("select count(*) from record_entries where record_id = ?", (e64(rid),)).fetchone()[0]]
print(json.dumps(out))
