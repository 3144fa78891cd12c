// A notice carried from a case to the inbox: when the case cannot be shown any
// more (a referral this browser could not open went back to its sender), the
// inbox says what happened instead.
import { createStore } from '../store.ts';

export interface Notice {
  /** success: done as asked; important: something the user must know (GOV.UK notification banner). */
  kind: 'success' | 'important';
  text: string;
}

export const inboxNotice = createStore<Notice | null>(null);
