#!/usr/bin/python3
"""An independent rc2 reporter client, written from docs/PROTOCOL.md alone, with
PyNaCl and the Python standard library (no project code).

Usage: py_client.py BASE_URL SQLITE_FILE
Solves proof-of-work stamps, submits an anonymous report, reads the case back with the token's access key,
posts a message, then opens the stored envelopes straight from the database
file with the DEMO ONLY recovery key, as an auditor would. Checks the signed
receipts returned with the report and the message against the published receipt
key, and the receipt vectors in docs/receipt-vectors.json. Prints one JSON object.
"""
import base64
import hashlib
import json
import os
import re
import sqlite3
import sys
import urllib.error
import urllib.request

import nacl.bindings as b
import nacl.hash
import nacl.public
import nacl.signing
import nacl.exceptions
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


def call(method, path, body=None, auth=None, pow_stamp=None, raw=None, binary=False):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(BASE + path, method=method, data=data)
    if raw is not None:
        req.add_header("content-type", "application/octet-stream")
    elif body is not None:
        req.add_header("content-type", "application/json")
    if auth:
        req.add_header("authorization", auth)
    if pow_stamp:
        req.add_header("pow-stamp", pow_stamp)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, (r.read() if binary else json.loads(r.read() or b"null")), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), dict(err.headers)


def receipt_field(raw):
    assert len(raw) <= 255
    return bytes([len(raw)]) + raw


def check_receipt(r, published, sealed=None):
    """PROTOCOL.md "Receipts": 'ok', or why not."""
    fields = ["format", "v", "kind", "caseRef", "receivedOn", "sealedHash", "keyId", "sig"]
    if sorted(r) != sorted(fields) or r["format"] != "rc2-receipt" or r["v"] != 1:
        return "malformed"
    if (r["kind"] not in ("report", "message", "attachment")
            or not re.fullmatch(r"RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", r["caseRef"])
            or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", r["receivedOn"])
            or not re.fullmatch(r"[A-Za-z0-9_-]{12}", r["keyId"]) or len(d64(r["sealedHash"])) != 32 or len(d64(r["sig"])) != 64):
        return "malformed"
    pk = {H(b"rc2 receipt key id", d64(k["publicKey"]))[:9]: d64(k["publicKey"]) for k in published}.get(d64(r["keyId"]))
    if pk is None:
        return "unknown_key"
    body = (b"RCR\x01" + receipt_field(r["kind"].encode()) + receipt_field(r["caseRef"].encode())
            + receipt_field(r["receivedOn"].encode()) + receipt_field(d64(r["sealedHash"])) + receipt_field(r["keyId"].encode()))
    try:
        nacl.signing.VerifyKey(pk).verify(b"rc2 filing receipt\x00" + body, d64(r["sig"]))
    except nacl.exceptions.BadSignatureError:
        return "bad_signature"
    if sealed is not None and H0(sealed) != d64(r["sealedHash"]):
        return "hash_mismatch"
    return "ok"


def sealed_bytes(env):
    return d64(env["nonce"]) + d64(env["ct"])
CHUNK = 65536
FILE_TEXT = b"Rota photographed by an independent PyNaCl client, Quayle on nights. " * 1500


def attachment_bucket(size):
    if size > 1 << 20:
        return -(-size // (1 << 20)) * (1 << 20)
    n = CHUNK
    while n < size:
        n *= 2
    return n


def seal_attachment(case_key, rpk, aid, name, mime, data):
    """Attachments: a secretstream under a fresh file key, 64 KiB chunks of the zero-padded file,
    TAG_FINAL on the last; the meta (name, type, size, key, header) an rc2 envelope under caseKey."""
    key = os.urandom(32)
    state = b.crypto_secretstream_xchacha20poly1305_state()
    header = b.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    padded = attachment_bucket(len(data))
    n = padded // CHUNK
    body = data + b"\x00" * (padded - len(data))
    chunks = []
    for i in range(n):
        tag = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL if i == n - 1 else b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
        chunks.append(b.crypto_secretstream_xchacha20poly1305_push(state, body[i * CHUNK:(i + 1) * CHUNK], None, tag))
    meta = seal(case_key, b"rc1/attachment" + rpk + aid, {"schema": "rc1/attachment", "name": name, "type": mime,
                                                        "size": len(data), "key": e64(key), "header": e64(header), "chunks": n})
    return padded, meta, chunks


def open_attachment(case_key, rpk, aid, meta, chunks):
    doc = open_env(case_key, b"rc1/attachment" + rpk + aid, meta)
    assert doc["schema"] == "rc1/attachment" and len(chunks) == doc["chunks"]
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, d64(doc["header"]), d64(doc["key"]))
    data = b""
    for i, c in enumerate(chunks):
        m, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, c, None)
        assert (tag == b.crypto_secretstream_xchacha20poly1305_TAG_FINAL) == (i == len(chunks) - 1)
        data += m
    return doc["name"], data[:doc["size"]]


def attachment_hash(chunks):
    h = hashlib.blake2b(digest_size=32, key=b"rc2 attachment hash")
    for c in chunks:
        h.update(c)
    return e64(h.digest())


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
# An attachment, uploaded before the report with the token's access key, then named in the report.
auth = "Case " + e64(access_key)
aid = os.urandom(16)
padded, meta, chunks = seal_attachment(case_key, rpk, aid, "rota.txt", "text/plain", FILE_TEXT)
status, started, _ = call("POST", "/api/v1/uploads", {"id": e64(aid), "paddedSize": padded, "meta": meta}, auth=auth, pow_stamp=stamp())
assert status == 201, started
for i in reversed(range(len(chunks))):  # any order; a chunk sent twice is fine
    status, put, _ = call("PUT", "/api/v1/uploads/%s/chunks/%d" % (e64(aid), i), auth=auth, raw=chunks[i])
    assert status == 200, put
status, put, _ = call("PUT", "/api/v1/uploads/%s/chunks/0" % e64(aid), auth=auth, raw=chunks[0])
assert status == 200, put
status, done, _ = call("POST", "/api/v1/uploads/%s/complete" % e64(aid), auth=auth)
assert status == 200, done
out["attachmentHash"] = [done["hash"] == attachment_hash(chunks), len(chunks)]
body["attachments"] = [e64(aid)]

status, refused, _ = call("POST", "/api/v1/reports", body)
out["noStamp"] = [status, refused["error"]["code"]]
status, created, headers = call("POST", "/api/v1/reports", body, pow_stamp=stamp())
assert status == 201, created
out["caseRef"] = created["caseRef"]
out["setCookie"] = "Set-Cookie" in headers or "set-cookie" in headers
out["rateHeaders"] = sorted(h for h in headers if h.lower().startswith("x-ratelimit"))

status, receipt_keys, _ = call("GET", "/api/v1/receipts/keys")
assert status == 200, receipt_keys
published = [receipt_keys["current"]] + receipt_keys["previous"]
report_receipt = created["receipt"]
out["reportReceipt"] = [check_receipt(report_receipt, published, sealed_bytes(body["report"])), report_receipt["kind"],
                        report_receipt["caseRef"] == created["caseRef"], report_receipt["receivedOn"] == created["receivedOn"]]
out["receiptTampered"] = [check_receipt(dict(report_receipt, receivedOn="2000-01-01"), published),
                          check_receipt(report_receipt, published, sealed_bytes(body["report"])[:-1] + b"\x00")]

status, view, _ = call("GET", "/api/v1/case", auth=auth)
assert status == 200, view
key = nacl.public.SealedBox(reporter).decrypt(d64(view["reporterKey"]))
out["reportBack"] = open_env(key, b"rc1/report" + rpk, view["report"])["narrative"]

mid = os.urandom(16)
msg = seal(key, b"rc1/message" + rpk + mid, {"schema": "rc1/message", "from": "reporter", "text": MESSAGE})
status, posted, _ = call("POST", "/api/v1/case/messages", {"id": e64(mid), **msg}, auth=auth, pow_stamp=stamp())
assert status == 201, posted
out["messageReceipt"] = [check_receipt(posted["receipt"], published, sealed_bytes(msg)), posted["receipt"]["kind"]]
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
u = con.execute("select id, meta_nonce, meta_ct, chunks from uploads where case_id = ?", (row[0],)).fetchone()
stored = [bytes(r[0]) for r in con.execute("select data from attachment_chunks where upload_id = ? order by idx", (u[0],))]
name, data = open_attachment(stored_key, stored_pk, d64(u[0]), {"nonce": u[1], "ct": u[2]}, stored)
out["auditorAttachment"] = [name, data == FILE_TEXT, attachment_hash(stored) == done["hash"]]

# The published vectors, checked with nothing but the protocol page's rules.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../docs/receipt-vectors.json")) as f:
    rv = json.load(f)
assert H(b"rc2 receipt key id", d64(rv["publishedKey"]["publicKey"]))[:9] == d64(rv["publishedKey"]["keyId"])
assert bytes(nacl.signing.SigningKey(d64(rv["seed"])).verify_key) == d64(rv["publishedKey"]["publicKey"])
vectors = [check_receipt(v["receipt"], [rv["publishedKey"]], d64(v["sealedBytes"])) for v in rv["receipts"]]
vectors += [check_receipt(json.loads(v["text"]), [rv["publishedKey"]]) for v in rv["receipts"]]
out["receiptVectors"] = vectors
out["receiptRefused"] = [[check_receipt(x["receipt"], [rv["publishedKey"]], d64(x["sealedBytes"]) if "sealedBytes" in x else None), x["expect"]]
                         for x in rv["refused"]]

# Private records (docs/PROTOCOL.md "Private records"): first open the entries of
# docs/record-vectors.json from the document alone, then make, fill, read and delete a live record.
VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "record-vectors.json")
with open(VECTORS) as f:
    recvec = json.load(f)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def show_token(t):
    n = int.from_bytes(t, "big")
    chars = "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in range(23, -1, -1)) + CROCKFORD[H0(t)[0] >> 3]
    return "-".join(chars[i:i + 5] for i in range(0, 25, 5))


def u32(n):
    return n.to_bytes(4, "big")


def entry_hash(rid, e):
    ct, sct = d64(e["entry"]["ct"]), d64(e["subject"]["ct"])
    return H0(rid + d64(e["id"]) + d64(e["entry"]["nonce"]) + u32(len(ct)) + ct
              + d64(e["subject"]["nonce"]) + u32(len(sct)) + sct)


def open_record_key(t, rid, holder):
    wrap = H(b"rc2 record wrapping key", t)
    return b.crypto_aead_xchacha20poly1305_ietf_decrypt(holder[24:], b"rc2/record-key" + rid, holder[:24], wrap)


vt, vrid = d64(recvec["tokenBytes"]), d64(recvec["recordId"])
assert "REC-" + show_token(vt) == recvec["tokenDisplay"]
assert e64(H0(H(b"rc2 record access key", vt))) == recvec["recordAccessHash"]
vkey = open_record_key(vt, vrid, d64(recvec["holderKey"]))
assert e64(vkey) == recvec["recordKey"]
opened = []
for e in recvec["entries"]:
    eid = d64(e["id"])
    doc = open_env(vkey, b"rc2/record-entry" + vrid + eid, e["entry"])
    subj = open_env(vkey, b"rc2/record-subject" + vrid + eid, e["subject"])
    assert doc == e["entry"]["plaintext"] and subj == e["subject"]["plaintext"]
    assert e64(entry_hash(vrid, e)) == e["sealedHash"]
    opened.append(doc["what"][:40])
out["recordVectorEntries"] = opened
# As a case, the same token: case access hash and reporter key under the case labels.
assert e64(H0(H(b"rc1 case access key", vt))) == recvec["asCase"]["caseAccessHash"]
assert e64(bytes(nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", vt)).public_key)) == recvec["asCase"]["reporterPk"]

rt, rid, rkey = os.urandom(15), os.urandom(16), os.urandom(32)
raccess = H(b"rc2 record access key", rt)
hnonce = os.urandom(24)
holder = hnonce + b.crypto_aead_xchacha20poly1305_ietf_encrypt(rkey, b"rc2/record-key" + rid, hnonce, H(b"rc2 record wrapping key", rt))
status, made, _ = call("POST", "/api/v1/records", {"v": 2, "id": e64(rid), "accessHash": e64(H0(raccess)), "holderKey": e64(holder)}, pow_stamp=stamp())
assert status == 201, made
rauth = "Record " + e64(raccess)
# A file for the entry: sealed under the record key, naming the reporter key the token will have as a case
# token, uploaded on the case upload routes with the record's Authorization, complete before the entry names it.
rrpk = bytes(nacl.public.PrivateKey.from_seed(H(b"rc1 reporter box seed", rt)).public_key)
rfid = os.urandom(16)
rpadded, rmeta, rchunks = seal_attachment(rkey, rrpk, rfid, "diary.txt", "text/plain", FILE_TEXT)
status, started, _ = call("POST", "/api/v1/uploads", {"id": e64(rfid), "paddedSize": rpadded, "meta": rmeta}, auth=rauth, pow_stamp=stamp())
assert status == 201, started
for i, c in enumerate(rchunks):
    status, put, _ = call("PUT", "/api/v1/uploads/%s/chunks/%d" % (e64(rfid), i), auth=rauth, raw=c)
    assert status == 200, put
status, rdone, _ = call("POST", "/api/v1/uploads/%s/complete" % e64(rfid), auth=rauth)
assert status == 200, rdone
eid = os.urandom(16)
entry = {"id": e64(eid),
         "entry": seal(rkey, b"rc2/record-entry" + rid + eid, {"schema": "rc2/record-entry", "what": "PyNaCl record entry about Quayle",
                                                                "attachments": [{"id": e64(rfid)}]}),
         "subject": seal(rkey, b"rc2/record-subject" + rid + eid, {"schema": "rc2/record-subject", "name": "F. Quayle"}),
         "attachments": [e64(rfid)]}
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
# The file: named in the opened entry, listed with its receipt, fetched chunk by chunk with the record token.
rf = rview["attachments"][0]
fetched = [call("GET", "/api/v1/record/attachments/%s/chunks/%d" % (rf["id"], i), auth=rauth, binary=True)[1] for i in range(rf["chunks"])]
rname, rdata = open_attachment(back_key, rrpk, d64(rf["id"]), rf["meta"], fetched)
ropened = open_env(back_key, b"rc2/record-entry" + rid + d64(got["id"]), got["entry"])
out["recordFile"] = [rname, rdata == FILE_TEXT, ropened["attachments"] == [{"id": e64(rfid)}],
                     check_receipt(added["attachmentReceipts"][0]["receipt"], published),
                     added["attachmentReceipts"][0]["receipt"]["sealedHash"] == attachment_hash(fetched) == rdone["hash"],
                     rf["receipt"] == added["attachmentReceipts"][0]["receipt"], rf["receipt"]["kind"]]
status, _, _ = call("DELETE", "/api/v1/record", auth=rauth)
out["recordDeleted"] = [status, call("GET", "/api/v1/record", auth=rauth)[0],
                        con.execute("select count(*) from record_entries where record_id = ?", (e64(rid),)).fetchone()[0],
                        con.execute("select count(*) from uploads where id = ?", (e64(rfid),)).fetchone()[0],
                        con.execute("select count(*) from attachment_chunks where upload_id = ?", (e64(rfid),)).fetchone()[0]]
print(json.dumps(out))
