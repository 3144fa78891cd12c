// The key directory's staff API (docs/staff-api.md "Team keys"): what a team member
// sees of their team's recipients and key changes, what a lead certifies, and the
// administrator's route for installing the organisation's certificates.
import { Type, type Static } from '@sinclair/typebox';
import { B64Exact, CertificateWire } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const StaffId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const LogActionSchema = Type.Union([Type.Literal('certify'), Type.Literal('revoke'), Type.Literal('lead'), Type.Literal('recovery')]);

export const KeyChange = Type.Object({
  team: Slug,
  teamLabel: Type.String(),
  seq: Type.Integer(),
  action: LogActionSchema,
  /** Whose key: a display name (null for the recovery key or an account since removed). */
  name: Type.Union([Type.String(), Type.Null()]),
  by: Type.Union([Type.String(), Type.Null()]),
  on: Day,
});

export const TeamKeysResponse = Type.Object({
  team: Type.Object({ id: Slug, label: Type.String() }),
  /** The caller: whether they lead this team, and the signing key the organisation certified for them here (null: none yet). */
  you: Type.Object({ lead: Type.Boolean(), certifiedSigningKey: Type.Union([B64Exact(32), Type.Null()]) }),
  /** The key log's head, which a lead's certification signs on from. */
  head: Type.Object({ seq: Type.Integer(), hash: B64Exact(32) }),
  recipients: Type.Array(Type.Object({ staffId: StaffId, displayName: Type.String(), publicKey: B64Exact(32), seesIdentity: Type.Boolean() })),
  /** Enrolled members whose current key no lead has certified (they receive nothing new yet). */
  pending: Type.Array(Type.Object({
    staffId: StaffId, displayName: Type.String(), publicKey: B64Exact(32), seesIdentity: Type.Boolean(),
    /** The certificate a new one must name as replaced (null: the member's first). */
    replaces: Type.Union([B64Exact(32), Type.Null()]),
  })),
  changes: Type.Array(KeyChange),
});

export const KeyChangesResponse = Type.Object({ changes: Type.Array(KeyChange) });

export const CertifyBody = Type.Object({ staffId: StaffId, certificate: CertificateWire, headSig: B64Exact(64) }, strict);
export const SigningKeyBody = Type.Object({ publicKey: B64Exact(32) }, strict);
export const InstallCertificateBody = Type.Object({ certificate: CertificateWire, staffId: Type.Union([StaffId, Type.Null()]) }, strict);
export const CertificateInstalled = Type.Object({ hash: B64Exact(32) });
/** Leads whose browsers registered a signing key that has no organisation certificate for a team they lead. */
export const SigningRequestsResponse = Type.Array(Type.Object({ staffId: StaffId, displayName: Type.String(), team: Slug, signingKey: B64Exact(32) }));

export type TeamKeys = Static<typeof TeamKeysResponse>;
export type KeyChangeWire = Static<typeof KeyChange>;
export type CertifyRequestWire = Static<typeof CertifyBody>;
export type SigningRequests = Static<typeof SigningRequestsResponse>;
