import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey, generateKeyPair, ready, toB64u } from './index.ts';
import {
  deriveStaffSecrets, newKdfParams, openNote, openStaffSecretKey, publicKeyOf, readyStaff, sealNote, sealStaffSecretKey,
} from './staff.ts';

beforeAll(async () => {
  await ready();
  await readyStaff();
});

describe('staff keys', () => {
  it('derives a login secret and a wrapping key that differ and depend on passphrase and salt', async () => {
    const kdf = newKdfParams();
    const a = await deriveStaffSecrets('correct horse battery staple', kdf);
    const again = await deriveStaffSecrets('correct horse battery staple', kdf);
    const other = await deriveStaffSecrets('correct horse battery stapler', kdf);
    const otherSalt = await deriveStaffSecrets('correct horse battery staple', newKdfParams());
    expect(a.loginSecret).toBe(again.loginSecret);
    expect(a.loginSecret).not.toBe(toB64u(a.wrappingKey));
    expect(other.loginSecret).not.toBe(a.loginSecret);
    expect(otherSalt.loginSecret).not.toBe(a.loginSecret);
  });

  it('refuses parameters below the minimum', async () => {
    await expect(deriveStaffSecrets('x', { ...newKdfParams(), opslimit: 2 })).rejects.toThrow();
    await expect(deriveStaffSecrets('x', { ...newKdfParams(), memlimit: 1024 * 1024 })).rejects.toThrow();
  });

  it('wraps a private key that only the same passphrase and account open', async () => {
    const kdf = newKdfParams();
    const { wrappingKey } = await deriveStaffSecrets('passphrase one', kdf);
    const wrong = await deriveStaffSecrets('passphrase two', kdf);
    const kp = generateKeyPair();
    const env = sealStaffSecretKey(wrappingKey, 'officer-1', kp.secretKey);
    const sk = openStaffSecretKey(wrappingKey, 'officer-1', env);
    expect(toB64u(publicKeyOf(sk))).toBe(toB64u(kp.publicKey));
    expect(() => openStaffSecretKey(wrong.wrappingKey, 'officer-1', env)).toThrow();
    expect(() => openStaffSecretKey(wrappingKey, 'officer-2', env)).toThrow();
  });

  it('seals notes and assessments under the internal key, bound to case and note id', () => {
    const internalKey = generateKey();
    const pk = generateKeyPair().publicKey;
    const content = {
      text: 'Spoke to welfare.',
      assessment: { iopcMandatoryReferral: true, iopcGrounds: ['abuse_of_position'], severity: 'gross_misconduct' as const, welfareConcern: true, victimisationRisk: false },
    };
    const note = sealNote(internalKey, pk, content);
    expect(openNote(internalKey, pk, note)).toEqual(content);
    expect(() => openNote(generateKey(), pk, note)).toThrow();
    expect(() => openNote(internalKey, generateKeyPair().publicKey, note)).toThrow();
    expect(() => openNote(internalKey, pk, { ...note, id: sealNote(internalKey, pk, content).id })).toThrow();
  });
});
