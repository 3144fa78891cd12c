// Staff notifications: the kinds of event, how each may be delivered, and the
// wire shapes of the preferences and administration routes. A notification
// never carries anything of a case; see docs/THREAT-MODEL.md "Notifications".
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { DELIVERIES, EMAIL_MAX, EMAIL_PATTERN, KIND_NAMES, type NotificationKind } from '../domain/notifications.ts';

export * from '../domain/notifications.ts';

const strict = { additionalProperties: false } as const;
const literals = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;

export const NotificationKindSchema = literals(KIND_NAMES as unknown as readonly NotificationKind[]);
export const DeliverySchema = literals(DELIVERIES);

export const PreferencesResponse = Type.Object({
  hasEmail: Type.Boolean(),
  kinds: Type.Array(Type.Object({
    kind: NotificationKindSchema,
    delivery: DeliverySchema,
    allowed: Type.Array(DeliverySchema),
    /** Switched off for everyone by the administrator. */
    offForAll: Type.Boolean(),
  })),
});
export const PreferencesBody = Type.Object({
  preferences: Type.Array(Type.Object({ kind: NotificationKindSchema, delivery: DeliverySchema }, strict), { maxItems: KIND_NAMES.length }),
}, strict);

const Hour = Type.Integer({ minimum: 0, maximum: 24 });
export const OrgSettings = Type.Object({
  /** Sending window, Europe/London whole hours: mail goes out from windowStart:00 until windowEnd:00. */
  windowStart: Hour,
  windowEnd: Hour,
  /** Batch length in minutes (reporter-caused events go out only at these slots); 60 = each whole hour. */
  batchMinutes: Type.Integer({ minimum: 15, maximum: 1440 }),
  offForAll: Type.Array(NotificationKindSchema, { maxItems: KIND_NAMES.length }),
}, strict);
export const OrgSettingsResponse = Type.Object({
  windowStart: Hour, windowEnd: Hour, batchMinutes: Type.Integer(), offForAll: Type.Array(NotificationKindSchema),
  /** Mails due and not yet delivered (the SMTP server may be down). */
  backlog: Type.Integer(),
});
export const EmailBody = Type.Object({
  email: Type.Union([Type.Null(), Type.String({ minLength: 3, maxLength: EMAIL_MAX, pattern: EMAIL_PATTERN })]),
}, strict);
export const EmailResponse = Type.Object({ email: Type.Union([Type.Null(), Type.String()]) });

export type PreferencesInfo = Static<typeof PreferencesResponse>;
export type PreferencesUpdate = Static<typeof PreferencesBody>;
export type OrgSettingsInput = Static<typeof OrgSettings>;
export type OrgSettingsInfo = Static<typeof OrgSettingsResponse>;
