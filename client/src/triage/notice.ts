// A confirmation carried from a case to the inbox: after a referral the case
// can no longer be opened here, so the inbox says what happened instead.
import { createStore } from '../store.ts';

export const inboxNotice = createStore<string | null>(null);
