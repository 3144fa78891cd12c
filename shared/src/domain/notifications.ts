// The kinds of staff notification and how each may be delivered, written once
// for the server and the preferences page (no TypeBox here: the page imports it).
/**
 * immediate: at once (staff-caused events only: it cannot time-place a report);
 * batch: at the next fixed slot (hourly by default); daily / weekly: one digest; off: never.
 */
export const DELIVERIES = ['immediate', 'batch', 'daily', 'weekly', 'off'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** Who causes the event: reporter-caused events are only ever batched (never at the moment of submission). */
export type Cause = 'reporter' | 'staff' | 'schedule';

export interface KindInfo {
  cause: Cause;
  /** Allowed deliveries; the first is the default. */
  deliveries: readonly Delivery[];
  /** Preferences page label. */
  label: string;
  /** The mail line before the count ("… : 3"). */
  line: string;
  /** Leads only. */
  leads?: boolean;
}

/**
 * Every kind, once. Extension point: a new kind is a line
 * here plus one enqueue call where the event happens (server/src/notifications/events.ts).
 */
export const KINDS = {
  new_case: { cause: 'reporter', deliveries: ['batch', 'daily', 'off'], label: 'New cases in your team’s inbox', line: "New cases in your team's inbox" },
  new_advice: { cause: 'reporter', deliveries: ['batch', 'daily', 'off'], label: 'New advice requests in your team’s inbox', line: "New advice requests in your team's inbox" },
  welfare_request: {
    cause: 'reporter', deliveries: ['batch', 'daily', 'off'], label: 'A reporter asked for a welfare contact on a case you can open', line: 'Requests for a welfare contact',
  },
  reporter_message: { cause: 'reporter', deliveries: ['batch', 'daily', 'off'], label: 'Messages from reporters on cases you can open', line: 'New messages from reporters' },
  assigned: { cause: 'staff', deliveries: ['immediate', 'batch', 'daily', 'off'], label: 'Cases assigned to you', line: 'Cases assigned to you' },
  referred: { cause: 'staff', deliveries: ['immediate', 'batch', 'daily', 'off'], label: 'Cases referred to your team', line: 'Cases referred to your team' },
  // A key was certified for, or taken from, the team: a change in who can read its new reports, which every
  // member should see (a key nobody expected is how a planted recipient would show).
  team_keys_changed: {
    cause: 'staff', deliveries: ['immediate', 'batch', 'daily', 'off'], label: 'Who can read your team’s new reports changed (a key certified or revoked)',
    line: "Changes to who can read your team's new reports",
  },
  referral_returned: {
    cause: 'staff', deliveries: ['immediate', 'batch', 'daily', 'off'], label: 'A referral from your team could not be opened and came back (leads)',
    line: 'Referrals that came back to your team', leads: true,
  },
  clock_due: { cause: 'schedule', deliveries: ['daily', 'off'], label: 'A date is close (acknowledgement in 2 days, feedback in 2 weeks)', line: 'Cases with a date coming up' },
  clock_overdue: { cause: 'schedule', deliveries: ['daily', 'off'], label: 'A date has passed', line: 'Cases past their date' },
  weekly_summary: { cause: 'schedule', deliveries: ['weekly', 'off'], label: 'Weekly summary of your team’s cases (leads)', line: 'Weekly summary', leads: true },
} as const satisfies Record<string, KindInfo>;

export type NotificationKind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as NotificationKind[];
export const kindInfo = (k: NotificationKind): KindInfo => KINDS[k];
export const defaultDelivery = (k: NotificationKind): Delivery => KINDS[k].deliveries[0] as Delivery;

/** The weekly summary's counts, carried as their own mail lines. */
export const SUMMARY_LINES = {
  team_open: 'Open cases',
  team_overdue: 'Open cases past their date',
  team_unassigned: 'Open cases not assigned to anyone',
} as const;
export type SummaryLine = keyof typeof SUMMARY_LINES;


/** Batch lengths an administrator may choose (minutes, each divides a day): shorter ones would place a report in time too finely. */
export const BATCH_CHOICES = [15, 30, 60, 120, 180, 240, 360, 480, 720, 1440] as const;

/** A staff email address: a plain address, no display name (the server's schema and the admin form both check it). */
export const EMAIL_PATTERN = '^[^\\s@<>(),;:"\\\\]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$';
export const EMAIL_MAX = 254;
