// Retention wire contract (/api/v1/staff/admin/retention): how many months
// after closure a case's sealed content is kept, per outcome. No rule = kept.
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { OUTCOMES } from './domain.ts';

const strict = { additionalProperties: false } as const;
const Outcome = Type.Union(OUTCOMES.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<(typeof OUTCOMES)[number]>[]>;

/** 1 month to 100 years; null removes the rule (content kept until a rule is set). */
export const RETENTION_MONTHS_MAX = 1200;
const Months = Type.Union([Type.Integer({ minimum: 1, maximum: RETENTION_MONTHS_MAX }), Type.Null()]);

export const RetentionRule = Type.Object({
  outcome: Outcome,
  months: Months,
  setOn: Type.Union([Type.String(), Type.Null()]),
  setBy: Type.Union([Type.String(), Type.Null()]),
});
export const RetentionResponse = Type.Object({ rules: Type.Array(RetentionRule) });
export const SetRetentionBody = Type.Object({ outcome: Outcome, months: Months }, strict);

export type RetentionRuleWire = Static<typeof RetentionRule>;
export type RetentionList = Static<typeof RetentionResponse>;
export type SetRetention = Static<typeof SetRetentionBody>;
