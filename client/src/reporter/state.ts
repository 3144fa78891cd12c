// The reporter's in-memory state: answers, the send state and, once sent, the
// token. Never written to storage, a cookie or a URL; wiped by Exit this page.
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import type { Receipt } from '../../../shared/src/crypto/receipt-format.ts';
import type { CaseToken, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { chosenStore } from '../attachments/chosen.ts';
import { api } from '../api.ts';
import { onForget } from '../memory.ts';
import { createStore, useStore } from '../store.ts';
import { emptyAnswers, type Answers } from './flow.ts';
import { initialSendState, type SendState } from './send.ts';

export interface Sent {
  token: CaseToken;
  display: string;
  caseRef: string;
  receivedOn: string;
  /** The signed receipt returned with the report, shown with the token to save (absent after a lost answer). */
  receipt?: Receipt;
  /** One receipt for each file sent with the report, with the file's name (known only to this browser). */
  files?: { name: string; receipt: Receipt }[];
  /** advice: a question asked before any report (the token page words it so). */
  kind?: 'report' | 'advice';
  /** The command the reporter named (advice), so the support list can show its own entries. */
  command?: string;
}

export const answersStore = createStore<Answers>(emptyAnswers());
export const sendStore = createStore<SendState>(initialSendState);
export const sentStore = createStore<Sent | null>(null);
/** The token made by the first sealing attempt, reused by every retry. */
export let pendingToken: CaseToken | undefined;
export function setPendingToken(t: CaseToken | undefined): void {
  pendingToken = t;
}
/** The case key files were sealed under: kept for every retry and reseal, like the token. */
export let pendingCaseKey: SymmetricKey | undefined;
export function setPendingCaseKey(k: SymmetricKey | undefined): void {
  pendingCaseKey = k;
}

export function setAnswer<K extends keyof Answers>(key: K, value: Answers[K]): void {
  answersStore.update((a) => ({ ...a, [key]: value }));
}

export function resetReport(): void {
  answersStore.set(emptyAnswers());
  sendStore.set(initialSendState);
  pendingToken = undefined;
  pendingCaseKey = undefined;
  chosenStore.set([]);
}

onForget(() => {
  resetReport();
  sentStore.set(null);
});

// Intake (categories, units, routing) is public configuration, cached for the page's life.
type IntakeState = { kind: 'loading' } | { kind: 'ready'; intake: IntakeInfo } | { kind: 'error' };
const intakeStore = createStore<IntakeState>({ kind: 'loading' });
let intakeRequested = false;

/** Asks once per page life; `retry` asks again after a failure (the "Try again" button). */
export function loadIntake(retry = false): void {
  if (intakeRequested && !(retry && intakeStore.get().kind === 'error')) return;
  intakeRequested = true;
  intakeStore.set({ kind: 'loading' });
  api.intake().then(
    (intake) => intakeStore.set({ kind: 'ready', intake }),
    () => intakeStore.set({ kind: 'error' }),
  );
}

export function useIntake(): IntakeState {
  loadIntake();
  return useStore(intakeStore);
}
