// Files someone has chosen to send, in memory only (never storage or a URL),
// each cleaned of metadata as soon as it is chosen so the page can say what
// was found. One list per place files are chosen (the report journey, the
// reporter's follow-up page, a staff member's case), each wiped by Exit this
// page. Photos, PDF, Office and text files are read whole (to clean or show
// them) and so kept to cleanedFileMax; audio and video are sealed straight
// from the File, a chunk at a time, and may be up to fileMax.
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import { useEffect, useState } from 'preact/hooks';
import { onForget } from '../memory.ts';
import { createStore, type Store } from '../store.ts';
import type { FileKind } from './clean.ts';

export interface Chosen {
  key: string;
  file: File;
  kind: FileKind;
  /** Cleaned bytes (images, PDF, Office); null when the kind cannot be cleaned. */
  cleaned: Uint8Array | null;
  /** What cleaning removed, in plain words. */
  removed: string[];
  /** The reporter chose to send the original, metadata and all. */
  keepOriginal: boolean;
  /** Set once the file is stored on the server (a retry does not send it again). */
  uploadedId?: string;
}

/** One list of chosen files and the ways to change it. */
export interface Choice {
  store: Store<Chosen[]>;
  /** Checks and cleans newly chosen files; returns the problems for those refused. */
  add(files: File[]): Promise<AddProblem[]>;
  remove(key: string): void;
  setKeepOriginal(key: string, keep: boolean): void;
  markUploaded(key: string, id: string): void;
  clear(): void;
  /** Stops listening for Exit this page (a page's own list, when the page goes). */
  dispose(): void;
}

let counter = 0;

/** A new, empty list of chosen files; emptied by Exit this page. */
export function createChoice(): Choice {
  const store = createStore<Chosen[]>([]);
  const dispose = onForget(() => store.set([]));
  const set = (key: string, change: Partial<Chosen>) => store.update((list) => list.map((c) => (c.key === key ? { ...c, ...change } : c)));
  return {
    store,
    add: async (files) => {
      const { added, problems } = await check(files, store.get().length);
      store.update((list) => [...list, ...added]);
      return problems;
    },
    remove: (key) => store.update((list) => list.filter((c) => c.key !== key)),
    setKeepOriginal: (key, keep) => set(key, { keepOriginal: keep, uploadedId: undefined }),
    markUploaded: (key, id) => set(key, { uploadedId: id }),
    clear: () => store.set([]),
    dispose: () => { dispose(); },
  };
}

/** A list of chosen files for one mounted section (the follow-up page, a staff case), gone with it. */
export function useChoice(): Choice {
  const [choice] = useState(createChoice);
  useEffect(() => () => { choice.clear(); choice.dispose(); }, [choice]);
  return choice;
}

/** The files chosen in the report journey (sent with the report). */
export const reportChoice = createChoice();
export const chosenStore = reportChoice.store;

/** What goes out: the cleaned bytes unless the sender kept the original, or the file as it is. */
export function toSend(c: Chosen): Blob {
  return c.cleaned && !c.keepOriginal ? new Blob([c.cleaned.slice().buffer], { type: c.file.type }) : c.file;
}

export type AddProblem = { name: string; message: string };

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
const L = ATTACHMENT_LIMITS;

/** Sealed from disk a chunk at a time, never read whole: these may be as large as the server takes. */
export const STREAMED: ReadonlySet<FileKind> = new Set(['audio', 'video']);

/** The most one file of this kind may be. */
export const maxFor = (kind: FileKind): number => (STREAMED.has(kind) ? L.fileMax : L.cleanedFileMax);

/** The limits, in words shown before anything is chosen. */
export const LIMIT_WORDS = `You can add up to ${L.filesPerReport} files at a time. Photos, PDFs, text, Word, Excel and PowerPoint files must each be smaller than `
  + `${MB(L.cleanedFileMax)}; audio and video files smaller than ${MB(L.fileMax)}. All the files of one case together must be smaller than ${MB(L.casePaddedMax)}.`;

async function check(files: File[], already: number): Promise<{ added: Chosen[]; problems: AddProblem[] }> {
  const { kindOf, strip, CLEANABLE } = await import('./clean.ts');
  const problems: AddProblem[] = [];
  const added: Chosen[] = [];
  for (const file of files) {
    if (already + added.length >= L.filesPerReport) {
      problems.push({ name: file.name, message: `You can only add ${L.filesPerReport} files at a time. ${file.name} was not added` });
      continue;
    }
    if (file.size === 0) {
      problems.push({ name: file.name, message: `${file.name} is empty` });
      continue;
    }
    const kind = kindOf(file);
    if (kind === 'other') {
      problems.push({ name: file.name, message: `${file.name} must be a photo, PDF, text, Word, Excel, PowerPoint, audio or video file` });
      continue;
    }
    if (file.size > maxFor(kind)) {
      problems.push({ name: file.name, message: `${file.name} must be smaller than ${MB(maxFor(kind))}` });
      continue;
    }
    let cleaned: Uint8Array | null = null;
    let removed: string[] = [];
    if (CLEANABLE.has(kind)) {
      try {
        const r = await strip(kind, new Uint8Array(await file.arrayBuffer()));
        cleaned = r.bytes;
        removed = r.removed;
      } catch {
        problems.push({ name: file.name, message: `${file.name} could not be read, so hidden details could not be removed. Try saving it again, or choose another file` });
        continue;
      }
    }
    added.push({ key: `f${++counter}`, file, kind, cleaned, removed, keepOriginal: false });
  }
  return { added, problems };
}

/** The report journey's list (FilesPage, CheckPage). */
export const addFiles = (files: File[]): Promise<AddProblem[]> => reportChoice.add(files);
export const markUploaded = (key: string, id: string): void => reportChoice.markUploaded(key, id);

export function sizeWords(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}
