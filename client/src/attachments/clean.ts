// What can be cleaned, and cleaning it: the reporter's file is read once into
// memory only when it is a type whose metadata we remove (images, PDF, Office),
// bounded by the 25 MiB limit (cleanedFileMax); everything else is sealed
// straight from the File, a chunk at a time (audio and video up to 100 MiB).
import { isJpeg, isPng, isWebp, stripJpeg, stripPng, stripWebp, type Stripped } from './images.ts';
import { isPdf, isZip, stripOffice, stripPdf } from './documents.ts';

export type FileKind = 'jpeg' | 'png' | 'webp' | 'heic' | 'pdf' | 'office' | 'text' | 'audio' | 'video' | 'other';

const OFFICE_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
const OFFICE_EXT = /\.(docx|xlsx|pptx)$/i;

/** The kind of a file, from its type and name; 'other' is not accepted. */
export function kindOf(file: { name: string; type: string }): FileKind {
  const t = file.type.toLowerCase();
  const n = file.name.toLowerCase();
  if (t === 'image/jpeg' || /\.jpe?g$/.test(n)) return 'jpeg';
  if (t === 'image/png' || n.endsWith('.png')) return 'png';
  if (t === 'image/webp' || n.endsWith('.webp')) return 'webp';
  if (t === 'image/heic' || t === 'image/heif' || /\.hei[cf]$/.test(n)) return 'heic';
  if (t === 'application/pdf' || n.endsWith('.pdf')) return 'pdf';
  if (OFFICE_TYPES.has(t) || OFFICE_EXT.test(n)) return 'office';
  if (t === 'text/plain' || n.endsWith('.txt')) return 'text';
  if (t.startsWith('audio/') || /\.(mp3|m4a|wav|ogg|aac)$/.test(n)) return 'audio';
  if (t.startsWith('video/') || /\.(mp4|mov|webm|m4v)$/.test(n)) return 'video';
  return 'other';
}

/** Kinds whose metadata this service removes; the others are sent as they are, after a warning. */
export const CLEANABLE: ReadonlySet<FileKind> = new Set(['jpeg', 'png', 'webp', 'pdf', 'office']);

/** The `accept` attribute of the file input: what the service takes. */
export const ACCEPT = '.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf,.txt,.docx,.xlsx,.pptx,.mp3,.m4a,.wav,.ogg,.aac,.mp4,.mov,.webm,.m4v,'
  + 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,text/plain,audio/*,video/*';

/** Removes metadata; throws when the bytes are not what the kind says (the file is then refused, not sent as is). */
export async function strip(kind: FileKind, bytes: Uint8Array): Promise<Stripped> {
  switch (kind) {
    case 'jpeg': return stripJpeg(bytes);
    case 'png': return stripPng(bytes);
    case 'webp': return stripWebp(bytes);
    case 'pdf': if (!isPdf(bytes)) throw new TypeError('not a PDF'); return stripPdf(bytes);
    case 'office': if (!isZip(bytes)) throw new TypeError('not an Office document'); return stripOffice(bytes);
    default: return { bytes, removed: [] };
  }
}

export { isJpeg, isPng, isWebp };
