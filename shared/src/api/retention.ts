// Retention wire contract (/api/v1/staff/admin/retention): how many months a
// case's sealed content is kept after closure, per outcome; and how long the two
// things that never close are kept after their last activity: advice requests
// that never became a report, and private records never turned into one.
// No rule = kept.
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { OUTCOMES } from './domain.ts';

const strict = { additionalProperties: false } as const;
const Outcome = Type.Union(OUTCOMES.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<(typeof OUTCOMES)[number]>[]>;

/**
 * What else a rule can name: `advice`, an advice request that is still one (not converted), counted from
 * its last message or the day it was asked (staff notes do not count: the reporter is shown the day); `record`, a private record that is still one, counted
 * from its last entry or the day it was made.
 */
export const RETENTION_ITEMS = ['advice', 'record'] as const;
export type RetentionItem = (typeof RETENTION_ITEMS)[number];
/** Whether a rule's key names one of the items above rather than an outcome (one table keys both). */
export const isRetentionItem = (key: string): key is RetentionItem => (RETENTION_ITEMS as readonly string[]).includes(key);
const Item = Type.Union(RETENTION_ITEMS.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<RetentionItem>[]>;

/** 1 month to 100 years; null removes the rule (content kept until a rule is set). */
export const RETENTION_MONTHS_MAX = 1200;
const Months = Type.Union([Type.Integer({ minimum: 1, maximum: RETENTION_MONTHS_MAX }), Type.Null()]);
const SetBy = { setOn: Type.Union([Type.String(), Type.Null()]), setBy: Type.Union([Type.String(), Type.Null()]) };

export const RetentionRule = Type.Object({ outcome: Outcome, months: Months, ...SetBy });
export const RetentionItemRule = Type.Object({ item: Item, months: Months, ...SetBy });
export const RetentionResponse = Type.Object({ rules: Type.Array(RetentionRule), items: Type.Array(RetentionItemRule) });
/** Either a closed case's outcome or one of the items above; never both. */
export const SetRetentionBody = Type.Union([
  Type.Object({ outcome: Outcome, months: Months }, strict),
  Type.Object({ item: Item, months: Months }, strict),
]);

export type RetentionRuleWire = Static<typeof RetentionRule>;
export type RetentionList = Static<typeof RetentionResponse>;
export type SetRetention = Static<typeof SetRetentionBody>;

/**
 * What a period would do now, asked before it is saved: how many closed cases with that outcome (or
 * advice requests, or private records) are already past it, and would go at the next purge (hourly).
 * Each asking is audited (admin.retention_preview).
 * `key` is an outcome code or an item name, as the rule table keys them.
 */
export const RetentionPreviewQuery = Type.Object({
  key: Type.Union([Outcome, Item]),
  /** Query strings are not coerced: 1 to RETENTION_MONTHS_MAX as digits (checked again as a number). */
  months: Type.String({ pattern: '^[1-9][0-9]{0,3}$' }),
}, strict);
/**
 * `due`: 0 when nothing would go; '<5' for 1 to 4, as the oversight figures suppress small numbers,
 * so that asking again and again cannot follow one case's last activity; the number from 5 up.
 */
export const RetentionPreviewResponse = Type.Object({ due: Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('<5')]) });
export type RetentionPreview = Static<typeof RetentionPreviewResponse>;
