// A minimal observable value for in-memory state shared across pages.
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(next: T): void;
  update(fn: (prev: T) => T): void;
  subscribe(fn: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const subs = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const s of subs) s();
    },
    update(fn) {
      this.set(fn(value));
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const value = store.get();
  const [, force] = useState(0);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => force((n) => n + 1));
    // Effects run after paint: a change between this render and subscribing
    // (say, the intake request answering first) would otherwise be missed,
    // leaving the page on "Loading…" for good.
    if (store.get() !== value) force((n) => n + 1);
    return unsubscribe;
  }, [store]);
  return value;
}
