// Whether the reporter's case page shows the "turn advice into a report" questions instead of the
// case. In memory only, like the open case; Exit this page forgets it.
import { onForget } from '../memory.ts';
import { createStore } from '../store.ts';

export const convertingStore = createStore(false);
/** Set once the conversion landed: the case page says so once. */
export const convertedStore = createStore(false);

onForget(() => {
  convertingStore.set(false);
  convertedStore.set(false);
});
