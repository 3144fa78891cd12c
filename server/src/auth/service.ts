// Sign-in, unlock and enrolment. Every wrong part of a sign-in (unknown name,
// wrong login secret, wrong code) gives the same 401 after the same work, and
// counts against the name's back-off. Only a caller who has proved the right
// passphrase learns that their code was a reused one.
import { createHmac } from 'node:crypto';
import type { Transaction } from 'kysely';
import type {
  EnrolComplete, EnrolStart, EnrolStarted, KdfWire, LoginRequest, LoginResult, SessionInfo, StaffParams,
} from '../../../shared/src/api/staff.ts';
import { fromB64u } from '../../../shared/src/crypto/index.ts';
import { isUsablePublicKey } from '../usable-key.ts';
import { MIN_MEMLIMIT, MIN_OPSLIMIT } from '../../../shared/src/crypto/staff.ts';
import { audit, auditIn, type AuditEntry } from '../audit/log.ts';
import type { SecretBox } from '../atrest/box.ts';
import { totpAd } from '../atrest/service.ts';
import type { AppContext } from '../context.ts';
import type { Database, Staff } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import { deviceOf, newDeviceToken } from './device.ts';
import { clearFailures, countAttempt } from './lockout.ts';
import * as repo from './repository.ts';
import { summaryOf, type Principal } from './repository.ts';
import { enrolmentHash, normaliseUsername, sameHex, sha256Hex } from './secrets.ts';
import { createSession, csrfTokenFor, type LiveSession } from './session.ts';
import { newTotpSecret, totpFor, totpStep } from './totp.ts';

/** Sign-in keys, derived from the server secret (server-keys.ts), never stored. */
export interface AuthKeys {
  /** Behind fake salts: stable for a name, unpredictable. */
  fakeSalt: Buffer;
  /** Derives each session's CSRF token from its cookie. */
  csrf: Buffer;
  /** Signs device cookies (device.ts). */
  device: Buffer;
}

export const loadAuthKeys = (ctx: AppContext): AuthKeys => ctx.serverKeys.auth;

const defaultKdf = (salt: string): KdfWire => ({ salt, opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT });

function kdfOf(s: Staff): KdfWire | null {
  if (s.kdf_salt === null || s.kdf_opslimit === null || s.kdf_memlimit === null) return null;
  return { salt: s.kdf_salt, opslimit: Number(s.kdf_opslimit), memlimit: Number(s.kdf_memlimit) };
}

export async function params(ctx: AppContext, keys: AuthKeys, username: string): Promise<StaffParams> {
  const name = normaliseUsername(username);
  const s = await repo.findByUsername(ctx.db, name);
  // Computed for every name, so known and unknown names do the same work.
  const salt = createHmac('sha256', keys.fakeSalt).update(name).digest().subarray(0, 16).toString('base64url');
  const real = s && s.state === 'active' ? kdfOf(s) : null;
  if (real) return { kdf: real, state: 'active' };
  return { kdf: defaultKdf(salt), state: s?.state === 'enrol' ? 'enrol' : 'active' };
}

export interface LoginOutcome {
  result: LoginResult;
  cookie: string;
  /** A device cookie to set, when the browser did not already hold a valid one for this account. */
  device?: string;
}

// Work done for unknown names too, so the answer takes about as long.
const DUMMY_HASH = sha256Hex('rc1 no such account');
const DUMMY_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const dummySealed = new WeakMap<SecretBox, string>();

/**
 * The account's TOTP secret, opened from its sealed column (atrest/). For no account, a dummy
 * opened the same way, so unknown names do the same work. A plaintext or foreign-key row throws
 * SecretUnreadable (a 500): start-up seals or refuses those, so one here is a defect.
 */
function totpSecretOf(ctx: AppContext, s: Pick<Staff, 'id' | 'totp_secret'> | undefined): string {
  const box = ctx.serverKeys.box;
  if (s && s.totp_secret !== null) return box.open(s.totp_secret, totpAd(s.id));
  let sealed = dummySealed.get(box);
  if (!sealed) dummySealed.set(box, sealed = box.seal(DUMMY_TOTP, totpAd('')));
  return box.open(sealed, totpAd(''));
}

/** Audit entries for an event whose only write is `write` (if any), in one transaction with it. */
async function recorded(ctx: AppContext, entries: AuditEntry[], write?: (tx: Transaction<Database>) => Promise<void>): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    if (write) await write(tx);
    for (const e of entries) await auditIn(ctx, tx, e);
  });
}

const failed = (actor: string | null, reason: string, locks: boolean): AuditEntry[] => [
  { actor, action: 'auth.login_failed', detail: { reason } },
  ...(locks ? [{ actor, action: 'auth.locked_out' as const, detail: {} }] : []),
];

const keysOf = (s: Staff): LoginResult['keys'] => {
  const kdf = kdfOf(s);
  return s.public_key && s.sk_nonce && s.sk_ct && kdf
    ? { publicKey: s.public_key, encryptedSecretKey: { nonce: s.sk_nonce, ct: s.sk_ct }, kdf }
    : undefined;
};

export async function login(ctx: AppContext, keys: AuthKeys, body: LoginRequest, deviceCookie?: string): Promise<LoginOutcome> {
  const device = deviceOf(keys.device, body.username, deviceCookie);
  // Counted first (atomically): parallel guesses cannot all pass a lock check made before any failure is stored.
  const attempt = await countAttempt(ctx, body.username, device);
  const s = await repo.findByUsername(ctx.db, body.username);
  const active = s?.state === 'active' && s.login_hash !== null && s.totp_secret !== null ? s : undefined;
  const secretOk = sameHex(sha256Hex(body.loginSecret), active?.login_hash ?? DUMMY_HASH) && active !== undefined;
  const lastStep = active?.totp_last_step === null || active?.totp_last_step === undefined ? null : Number(active.totp_last_step);
  const step = totpStep(totpSecretOf(ctx, active), body.totp, ctx.now());
  const fresh = step !== null && (lastStep === null || step > lastStep);
  // Conditional update: two requests racing with the same code cannot both win.
  const spent = secretOk && fresh && active !== undefined && step !== null && await repo.spendTotpStep(ctx.db, active.id, step);
  if (!spent || !active) {
    const reused = secretOk && step !== null;
    const reason = !active ? 'unknown_or_inactive' : !secretOk ? 'login_secret' : reused ? 'totp_reused' : 'totp';
    // The owner's failure count and the entries commit together (or neither does).
    await recorded(ctx, failed(active?.id ?? null, reason, attempt.locks),
      active && !reused ? (tx) => repo.countFailedSignIn(tx, active.id) : undefined);
    // The passphrase was right and the code was a real one, just used: say so (this caller is the owner).
    throw new ApiError(reused ? 'code_used' : 'invalid_credentials');
  }
  // Only the owner (right passphrase and a fresh code) learns the account is deactivated; anyone else got the 401 above.
  if (active.deactivated_on !== null) {
    await audit(ctx, { actor: active.id, action: 'auth.login_failed', detail: { reason: 'deactivated' } });
    throw new ApiError('account_inactive');
  }
  await clearFailures(ctx, body.username, device);
  const p = await repo.principalOf(ctx.db, active.id);
  if (!p) throw new ApiError('invalid_credentials');
  // The session, the reset failure count and the entry commit together: no session without its entry.
  const { cookie, csrfToken, failedSignIns } = await ctx.db.transaction().execute(async (tx) => {
    const made = await createSession(ctx, keys.csrf, active.id, tx);
    const n = await repo.takeFailedSignIns(tx, active.id);
    await auditIn(ctx, tx, { actor: active.id, action: 'auth.login', detail: {} });
    return { ...made, failedSignIns: n };
  });
  const result: LoginResult = { csrfToken, staff: summaryOf(p), failedSignIns };
  const k = keysOf(active);
  if (k) result.keys = k;
  return { result, cookie, ...(device ? {} : { device: newDeviceToken(keys.device, active.username) }) };
}

/** What a reloaded page needs to ask for the passphrase: who is signed in and their kdf parameters. */
export async function sessionInfo(ctx: AppContext, keys: AuthKeys, s: LiveSession): Promise<SessionInfo> {
  const row = await repo.findById(ctx.db, s.principal.id);
  const kdf = row ? kdfOf(row) : null;
  if (!row || !kdf) throw new ApiError('not_signed_in');
  return { staff: summaryOf(s.principal), kdf, csrfToken: csrfTokenFor(keys.csrf, s.cookie) };
}

/**
 * Unlocks a live session after a reload: the passphrase's login secret, counted against the name's
 * back-off like a sign-in, gives back the sealed key. No new code is asked for: the session already
 * passed two factors, and its timeouts still run. The caller went through the usual guard (CSRF).
 */
export async function unlock(ctx: AppContext, keys: AuthKeys, p: Principal, csrfToken: string, loginSecret: string, deviceCookie?: string): Promise<LoginResult> {
  const device = deviceOf(keys.device, p.username, deviceCookie);
  const attempt = await countAttempt(ctx, p.username, device);
  const row = await repo.findById(ctx.db, p.id);
  const ok = sameHex(sha256Hex(loginSecret), row?.login_hash ?? DUMMY_HASH) && row !== undefined;
  if (!ok || !row) {
    await recorded(ctx, failed(p.id, 'unlock', attempt.locks), (tx) => repo.countFailedSignIn(tx, p.id));
    throw new ApiError('invalid_credentials');
  }
  await clearFailures(ctx, p.username, device);
  await audit(ctx, { actor: p.id, action: 'auth.unlock', detail: {} });
  const result: LoginResult = { csrfToken, staff: summaryOf(p) };
  const k = keysOf(row);
  if (k) result.keys = k;
  return result;
}

/**
 * The account awaiting enrolment with this secret, or 401. The attempt is counted first, like a
 * sign-in; it stays counted until the enrolment step succeeds.
 */
async function enrolling(ctx: AppContext, username: string, secret: string): Promise<Staff> {
  const attempt = await countAttempt(ctx, username);
  const s = await repo.findByUsername(ctx.db, username);
  const ok = sameHex(enrolmentHash(secret), s?.enrol_hash ?? DUMMY_HASH) && s?.state === 'enrol';
  if (!ok || !s) {
    await recorded(ctx, failed(s?.id ?? null, 'enrolment_secret', attempt.locks));
    throw new ApiError('invalid_credentials');
  }
  // Past the secret check: only its holder learns the account is deactivated.
  if (s.deactivated_on !== null) {
    await audit(ctx, { actor: s.id, action: 'auth.login_failed', detail: { reason: 'deactivated' } });
    throw new ApiError('account_inactive');
  }
  return s;
}

export async function enrolStart(ctx: AppContext, body: EnrolStart): Promise<EnrolStarted> {
  const s = await enrolling(ctx, body.username, body.enrolmentSecret);
  // A fresh secret each time: starting again (a lost phone mid-enrolment) replaces the old one.
  const totpSecret = newTotpSecret();
  // Stored sealed (atrest/): the database never holds it in the clear; only this answer does.
  // Recorded with it: a replaced TOTP secret is a security event even before enrolment completes.
  await recorded(ctx, [{ actor: s.id, action: 'auth.enrol_start', detail: {} }],
    (tx) => repo.setTotpSecret(tx, s.id, ctx.serverKeys.box.seal(totpSecret, totpAd(s.id))));
  // The right enrolment secret: this attempt was no failure (and it is handed the TOTP secret anyway).
  await clearFailures(ctx, body.username);
  return { totpSecret, otpauthUri: totpFor(totpSecret, s.username).toString() };
}

export async function enrolComplete(ctx: AppContext, body: EnrolComplete): Promise<void> {
  // A small-order key would make every wrap to this officer open for anyone (a fixed shared secret).
  // Checked like the schema, before the attempt is counted: it is about the input, not the caller.
  if (body.publicKey !== undefined && !isUsablePublicKey(fromB64u(body.publicKey))) throw new ApiError('weak_key');
  const s = await enrolling(ctx, body.username, body.enrolmentSecret);
  const needsKey = s.role === 'triage' || s.role === 'lead';
  if (needsKey && (!body.publicKey || !body.encryptedSecretKey)) throw new ApiError('invalid_request');
  // Already counted by enrolling(); the count stays until a completion succeeds.
  const step = s.totp_secret ? totpStep(totpSecretOf(ctx, s), body.totp, ctx.now()) : null;
  if (step === null) throw new ApiError('invalid_credentials');
  // The enrolment and its entry commit together.
  await ctx.db.transaction().execute(async (tx) => {
    const done = await repo.completeEnrolment(tx, s, {
      totpStep: step, loginHash: sha256Hex(body.loginSecret), kdf: body.kdf,
      publicKey: body.publicKey ?? null, sealedKey: body.encryptedSecretKey ?? null,
    });
    if (!done) throw new ApiError('invalid_credentials');
    await auditIn(ctx, tx, { actor: s.id, action: 'auth.enrol', detail: {} });
  });
  await clearFailures(ctx, body.username);
}
