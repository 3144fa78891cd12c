// Files the reporter has chosen, in memory only (never storage or a URL),
// each cleaned of metadata as soon as it is chosen so the page can say what
// was found. Wiped by Exit this page with the rest of the report.
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import { onForget } from '../memory.ts';
import { createStore } from '../store.ts';
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

export const chosenStore = createStore<Chosen[]>([]);
let counter = 0;

onForget(() => chosenStore.set([]));

/** What goes out: the cleaned bytes unless the reporter kept the original, or the file as it is. */
export function toSend(c: Chosen): Blob {
  return c.cleaned && !c.keepOriginal ? new Blob([c.cleaned.slice().buffer], { type: c.file.type }) : c.file;
}

export type AddProblem = { name: string; message: string };

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
export const LIMIT_WORDS = `You can add up to ${ATTACHMENT_LIMITS.filesPerReport} files. Each file must be smaller than ${MB(ATTACHMENT_LIMITS.fileMax)}.`;

/** Checks and cleans newly chosen files; returns the problems for those refused. */
export async function addFiles(files: File[], already: number): Promise<AddProblem[]> {
  const { kindOf, strip, CLEANABLE } = await import('./clean.ts');
  const problems: AddProblem[] = [];
  const added: Chosen[] = [];
  for (const file of files) {
    if (already + added.length >= ATTACHMENT_LIMITS.filesPerReport) {
      problems.push({ name: file.name, message: `You can only add ${ATTACHMENT_LIMITS.filesPerReport} files. ${file.name} was not added` });
      continue;
    }
    if (file.size > ATTACHMENT_LIMITS.fileMax) {
      problems.push({ name: file.name, message: `${file.name} must be smaller than ${MB(ATTACHMENT_LIMITS.fileMax)}` });
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
  chosenStore.update((list) => [...list, ...added]);
  return problems;
}

export function removeChosen(key: string): void {
  chosenStore.update((list) => list.filter((c) => c.key !== key));
}

export function setKeepOriginal(key: string, keep: boolean): void {
  chosenStore.update((list) => list.map((c) => (c.key === key ? { ...c, keepOriginal: keep, uploadedId: undefined } : c)));
}

export function markUploaded(key: string, id: string): void {
  chosenStore.update((list) => list.map((c) => (c.key === key ? { ...c, uploadedId: id } : c)));
}

export function sizeWords(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}
