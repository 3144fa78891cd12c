// Wire shapes of issue 14 parts 3 and 4, for the staff side: the survey answers
// a team reads on its case page, and oversight's tables (confidence, timeliness
// per command, and the earlier counts) in one shape that the page, the CSV
// download and the SVG chart all render, so the three cannot disagree.
import { Type, type Static } from '@sinclair/typebox';
import { INVITATION_PATTERN, SCALE_MAX, SCALE_MIN } from '../domain/trail.ts';
import { B64Exact } from './schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Score = Type.Integer({ minimum: SCALE_MIN, maximum: SCALE_MAX });

/** One invitation on the triage case page, with the answer if the reporter gave one. */
export const StaffInvitation = Type.Object({
  invitation: Type.String({ pattern: INVITATION_PATTERN }),
  kind: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  on: Day,
  answer: Type.Union([
    Type.Object({
      id: B64Exact(16),
      on: Day,
      listened: Score,
      supported: Score,
      /** Sealed by the reporter's browser under the case key (record kind rc1/survey). */
      comment: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
    }),
    Type.Null(),
  ]),
});

// ---- oversight tables ----

/**
 * A cell: a number (a count, a share 0–1 with two decimals, or a median in days), or a marker of
 * suppression: '<5' a count of 1–4, 'withheld' a larger count hidden so a lone '<5' cannot be
 * worked out, 'suppressed' a share or median over fewer than 5 cases.
 */
export const TableCell = Type.Union([Type.Number(), Type.Literal('<5'), Type.Literal('withheld'), Type.Literal('suppressed')]);

export const TABLE_IDS = [
  'by-command', 'by-category', 'by-status', 'timeliness', 'timeliness-by-command', 'confidence-by-command', 'confidence-by-category',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export const OversightTable = Type.Object({
  id: Type.Union(TABLE_IDS.map((t) => Type.Literal(t))),
  caption: Type.String(),
  /** What the rows are ("Command", "Category"). */
  rowHead: Type.String(),
  columns: Type.Array(Type.Object({
    id: Type.String(),
    label: Type.String(),
    kind: Type.Union([Type.Literal('count'), Type.Literal('share'), Type.Literal('days')]),
  })),
  rows: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), cells: Type.Array(TableCell) })),
});

export const TablesResponse = Type.Object({ period: Type.Object({ through: Day }), tables: Type.Array(OversightTable) });
export const TableParams = Type.Object({ table: Type.Union(TABLE_IDS.map((t) => Type.Literal(t))) }, { additionalProperties: false });

export type StaffInvitationView = Static<typeof StaffInvitation>;
export type OversightTableView = Static<typeof OversightTable>;
export type OversightTables = Static<typeof TablesResponse>;
export type Cell = Static<typeof TableCell>;
