// Staff API wire types: static types only from shared/src/api/staff.ts (the
// server's TypeBox schemas), so no TypeBox runtime reaches the browser.
import type {
  AccountFilters as AccountFiltersWire,
  AccountList,
  AccountWire,
  EnrolComplete as EnrolCompleteWire,
  EnrolStarted,
  CoveredUnits,
  InboxCase,
  InboxFilters,
  InboxPage,
  LoginResult,
  OversightStats as OversightStatsWire,
  StaffCaseView,
  StaffParams,
  StaffRole,
  StaffSummaryWire,
  StatusRequest,
  Structure as StructureWire,
  TeamList,
  TeamMemberList,
  WrapKindWire,
} from '../../../shared/src/api/staff.ts';

export type Role = StaffRole;
export type Staff = StaffSummaryWire;
export type Kdf = StaffParams['kdf'];
export type ParamsResponse = StaffParams;
export type LoginResponse = LoginResult;
export type EnrolStartResponse = EnrolStarted;
export type EnrolComplete = EnrolCompleteWire;
export type CaseSummary = InboxCase;
export type CaseList = InboxPage;
export type Clock = InboxCase['clock'];
export type CaseDetail = StaffCaseView;
export type StatusChange = StatusRequest;
export type WrapKind = WrapKindWire;
export type Member = TeamMemberList[number];
export type Labelled = TeamList[number];
export type OversightStats = OversightStatsWire;
export type Account = AccountWire;
export type AccountPage = AccountList;
export type AccountFilters = AccountFiltersWire;
export type Structure = StructureWire;
export type CoveredUnit = CoveredUnits[number];
export type InboxTab = NonNullable<InboxFilters['tab']>;
export type InboxSort = NonNullable<InboxFilters['sort']>;

/** The inbox filter form's state (the query string is built from it). */
export interface CaseFilters {
  status?: InboxFilters['status'] | '';
  category?: string;
  unit?: string;
  assigned?: 'me';
  overdue?: boolean;
  /** advice: advice requests only; report: cases only. */
  kind?: 'report' | 'advice' | '';
  /** Only those with an open welfare request. */
  welfare?: boolean;
  sort?: InboxFilters['sort'];
}

/** One inbox request: the filters, the tab (or a reference search, which spans both tabs) and the page. */
export interface CaseQuery {
  filters: CaseFilters;
  tab?: InboxTab;
  /** Normalised case reference (RC-XXXX-XXXX). */
  ref?: string;
  cursor: string | null;
}

export interface KindedWrap {
  recipient: string;
  kind: WrapKind;
  sealed: string;
}
