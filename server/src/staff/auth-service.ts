// Sign-in and enrolment. Every wrong part of a sign-in (unknown name, wrong
// login secret, wrong or reused code) gives the same 401 after the same work,
// and counts against the name's back-off.
import { createHmac } from 'node:crypto';
import type { EnrolComplete, EnrolStart, EnrolStarted, KdfWire, LoginRequest, LoginResult, StaffParams } from '../../../shared/src/api/staff.ts';
import { MIN_MEMLIMIT, MIN_OPSLIMIT } from '../../../shared/src/crypto/staff.ts';
import { audit } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Staff } from '../db/database.ts';
import { installationSecret } from '../db/secrets.ts';
import { ApiError } from '../plugins/errors.ts';
import { enrolmentHash, findByUsername, normaliseUsername, principalOf, sameHex, sha256Hex, summaryOf } from './accounts.ts';
import { clearFailures, countAttempt } from './lockout.ts';
import { createSession } from './session.ts';
import { acceptedStep, newTotpSecret, totpFor } from './totp.ts';

const FAKE_SALT_KEY = 'staff_fake_salt_key';

/**
 * The per-installation secret behind fake salts (stable for a name, unpredictable), read once at
 * startup so `params` runs the same single lookup for known and unknown names.
 */
export const loadFakeSaltKey = (ctx: AppContext): Promise<Buffer> => installationSecret(ctx.db, FAKE_SALT_KEY);

const defaultKdf = (salt: string): KdfWire => ({ salt, opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT });

function kdfOf(s: Staff): KdfWire | null {
  if (s.kdf_salt === null || s.kdf_opslimit === null || s.kdf_memlimit === null) return null;
  return { salt: s.kdf_salt, opslimit: Number(s.kdf_opslimit), memlimit: Number(s.kdf_memlimit) };
}

export async function params(ctx: AppContext, fakeSaltKey: Buffer, username: string): Promise<StaffParams> {
  const name = normaliseUsername(username);
  const s = await findByUsername(ctx.db, name);
  // Computed for every name, so known and unknown names do the same work.
  const salt = createHmac('sha256', fakeSaltKey).update(name).digest().subarray(0, 16).toString('base64url');
  const real = s && s.state === 'active' ? kdfOf(s) : null;
  if (real) return { kdf: real, state: 'active' };
  return { kdf: defaultKdf(salt), state: s?.state === 'enrol' ? 'enrol' : 'active' };
}

export interface LoginOutcome {
  result: LoginResult;
  cookie: string;
}

// Work done for unknown names too, so the answer takes about as long.
const DUMMY_HASH = sha256Hex('rc1 no such account');
const DUMMY_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export async function login(ctx: AppContext, body: LoginRequest): Promise<LoginOutcome> {
  // Counted first (atomically): parallel guesses cannot all pass a lock check made before any failure is stored.
  const attempt = await countAttempt(ctx, body.username);
  const s = await findByUsername(ctx.db, body.username);
  const active = s?.state === 'active' && s.login_hash !== null && s.totp_secret !== null ? s : undefined;
  const secretOk = sameHex(sha256Hex(body.loginSecret), active?.login_hash ?? DUMMY_HASH) && active !== undefined;
  const lastStep = active?.totp_last_step === null || active?.totp_last_step === undefined ? null : Number(active.totp_last_step);
  const step = acceptedStep(active?.totp_secret ?? DUMMY_TOTP, body.totp, ctx.now(), lastStep);
  let ok = secretOk && step !== null && active !== undefined;
  if (ok && active && step !== null) {
    // Conditional update: two requests racing with the same code cannot both win.
    const res = await ctx.db.updateTable('staff').set({ totp_last_step: step })
      .where('id', '=', active.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    ok = Number(res.numUpdatedRows) === 1;
  }
  if (!ok || !active) {
    const reason = !active ? 'unknown_or_inactive' : !secretOk ? 'login_secret' : 'totp';
    await audit(ctx, { actor: active?.id ?? null, action: 'auth.login_failed', detail: { reason } });
    if (attempt.locks) await audit(ctx, { actor: active?.id ?? null, action: 'auth.locked_out', detail: {} });
    throw new ApiError('invalid_credentials');
  }
  await clearFailures(ctx, body.username);
  const p = await principalOf(ctx.db, active.id);
  if (!p) throw new ApiError('invalid_credentials');
  const { cookie, csrfToken } = await createSession(ctx, active.id);
  await audit(ctx, { actor: active.id, action: 'auth.login', detail: {} });
  const result: LoginResult = { csrfToken, staff: summaryOf(p) };
  const kdf = kdfOf(active);
  if (active.public_key && active.sk_nonce && active.sk_ct && kdf) {
    result.keys = { publicKey: active.public_key, encryptedSecretKey: { nonce: active.sk_nonce, ct: active.sk_ct }, kdf };
  }
  return { result, cookie };
}

/**
 * The account awaiting enrolment with this secret, or 401. The attempt is counted first, like a
 * sign-in; it stays counted until the enrolment step succeeds.
 */
async function enrolling(ctx: AppContext, username: string, secret: string): Promise<Staff> {
  const attempt = await countAttempt(ctx, username);
  const s = await findByUsername(ctx.db, username);
  const ok = sameHex(enrolmentHash(secret), s?.enrol_hash ?? DUMMY_HASH) && s?.state === 'enrol';
  if (!ok || !s) {
    await audit(ctx, { actor: s?.id ?? null, action: 'auth.login_failed', detail: { reason: 'enrolment_secret' } });
    if (attempt.locks) await audit(ctx, { actor: s?.id ?? null, action: 'auth.locked_out', detail: {} });
    throw new ApiError('invalid_credentials');
  }
  return s;
}

export async function enrolStart(ctx: AppContext, body: EnrolStart): Promise<EnrolStarted> {
  const s = await enrolling(ctx, body.username, body.enrolmentSecret);
  // A fresh secret each time: starting again (a lost phone mid-enrolment) replaces the old one.
  const totpSecret = newTotpSecret();
  await ctx.db.updateTable('staff').set({ totp_secret: totpSecret, totp_last_step: null }).where('id', '=', s.id).execute();
  // The right enrolment secret: this attempt was no failure (and it is handed the TOTP secret anyway).
  await clearFailures(ctx, body.username);
  return { totpSecret, otpauthUri: totpFor(totpSecret, s.username).toString() };
}

export async function enrolComplete(ctx: AppContext, body: EnrolComplete): Promise<void> {
  const s = await enrolling(ctx, body.username, body.enrolmentSecret);
  const needsKey = s.role === 'triage' || s.role === 'lead';
  if (needsKey && (!body.publicKey || !body.encryptedSecretKey)) throw new ApiError('invalid_request');
  const step = s.totp_secret ? acceptedStep(s.totp_secret, body.totp, ctx.now(), null) : null;
  if (step === null) {
    // Already counted by enrolling(); the count stays until a completion succeeds.
    throw new ApiError('invalid_credentials');
  }
  // Only one completion spends the secret: the update is conditional on it still being there.
  const res = await ctx.db.updateTable('staff').set({
    state: 'active', enrol_hash: null, totp_last_step: step,
    login_hash: sha256Hex(body.loginSecret),
    kdf_salt: body.kdf.salt, kdf_opslimit: body.kdf.opslimit, kdf_memlimit: body.kdf.memlimit,
    public_key: body.publicKey ?? null, sk_nonce: body.encryptedSecretKey?.nonce ?? null, sk_ct: body.encryptedSecretKey?.ct ?? null,
  }).where('id', '=', s.id).where('enrol_hash', '=', s.enrol_hash).where('state', '=', 'enrol').executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new ApiError('invalid_credentials');
  await clearFailures(ctx, body.username);
  await audit(ctx, { actor: s.id, action: 'auth.enrol', detail: {} });
}
