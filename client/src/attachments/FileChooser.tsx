// Adding files to a case that exists: the reporter's follow-up page and a
// staff member's case page both use this, so both show what the report
// journey shows (the limits before anything is chosen, what hidden details
// were found and removed, "send the original" with its warning, files that
// cannot be cleaned flagged) before anything is sealed. The caller says how
// one file is sealed and uploaded (whose routes, which keys).
import { useState } from 'preact/hooks';
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import type { CompleteUpload } from '../../../shared/src/api/attachments.ts';
import { ApiError } from '../api.ts';
import { Button } from '../components/Simple.tsx';
import { useStore } from '../store.ts';
import { LIMIT_WORDS, sizeWords, toSend, type Choice, type Chosen } from './chosen.ts';
import { ACCEPT } from './clean.ts';
import { FileList } from './FileList.tsx';
import { progressWords, type Progress } from './upload.ts';

export interface FileChooserProps {
  choice: Choice;
  /** The input's id; the hint and error ids are made from it. */
  id: string;
  label: string;
  /** Said after the limits in the hint, e.g. who will be able to open the files. */
  hint?: string;
  sendLabel: string;
  /** Padded bytes the case's files already take (what the server counts against its limit). */
  usedBytes: number;
  /** Seals and uploads one file (the cleaned bytes unless the original was kept). */
  upload: (blob: Blob, f: Chosen, onProgress: (p: Progress) => void) => Promise<CompleteUpload>;
  /** After every chosen file is stored: the names sent. */
  onSent: (names: string[]) => Promise<void> | void;
}

/** Plain words for a refusal the server gives at upload start; null for a failure worth trying again. */
function refusal(e: unknown, name: string): string | null {
  if (!(e instanceof ApiError)) return null;
  switch (e.code) {
    case 'case_storage_full': return `There is not enough room left in this case for ${name}. Remove it, or choose a smaller file`;
    case 'too_many_files': return `This case already has as many files as it can hold. ${name} was not sent`;
    case 'file_too_large': return `${name} is too large to send`;
    default: return null;
  }
}

export function FileChooser({ choice, id, label, hint, sendLabel, usedBytes, upload, onSent }: FileChooserProps) {
  const chosen = useStore(choice.store);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const choose = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const list = [...(input.files ?? [])];
    if (list.length === 0) return;
    setBusy(true);
    setStatus('Checking your files for hidden details…');
    const found = await choice.add(list);
    input.value = '';
    setBusy(false);
    setStatus('');
    setProblem(found.map((p) => p.message).join('. '));
  };

  const send = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const files = choice.store.get();
    if (files.length === 0) return setProblem('Choose a file to send');
    // The case's room is known here: say so before anything is sealed, rather than after a refused upload.
    // (Imported here, not above: it sits in the crypto chunk, which the page has not needed so far.)
    const { attachmentBucket } = await import('../../../shared/src/crypto/attachment.ts');
    const needed = files.filter((f) => !f.uploadedId).reduce((n, f) => n + attachmentBucket(toSend(f).size), 0);
    const left = ATTACHMENT_LIMITS.casePaddedMax - usedBytes;
    if (needed > left) {
      return setProblem(`There is not enough room left in this case for these files: about ${sizeWords(Math.max(0, left))} is left. Remove a file, or choose smaller ones`);
    }
    setProblem('');
    setBusy(true);
    const sent: string[] = [];
    try {
      for (const f of files) {
        if (f.uploadedId) { sent.push(f.file.name); continue; } // stored by an earlier try
        const done = await upload(toSend(f), f, (p) => setStatus(progressWords(f.file.name, p)));
        choice.markUploaded(f.key, done.id);
        sent.push(f.file.name);
      }
      choice.clear();
      setStatus(sent.length === 1 ? `${sent[0]} has been sent.` : 'Your files have been sent.');
      await onSent(sent);
    } catch (err) {
      const words = refusal(err, files.find((f) => !sent.includes(f.file.name))?.file.name ?? 'the file');
      setStatus(words ? '' : 'Your files could not be sent. Check your internet connection and try again.');
      if (words) setProblem(words);
    } finally {
      setBusy(false);
    }
  };

  const errorId = `${id}-error`;
  return (
    <form noValidate onSubmit={send}>
      <div class={`govuk-form-group${problem ? ' govuk-form-group--error' : ''}`}>
        <label class="govuk-label govuk-label--s" for={id}>{label}</label>
        <div id={`${id}-hint`} class="govuk-hint">
          {LIMIT_WORDS} Hidden details, such as where a photo was taken or who wrote a document, are removed from photos, PDFs and
          Office files in this browser before anything is sent. {hint}
        </div>
        {problem && <p id={errorId} class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {problem}</p>}
        <input
          class={`govuk-file-upload${problem ? ' govuk-file-upload--error' : ''}`} id={id} type="file" multiple accept={ACCEPT}
          aria-describedby={`${id}-hint${problem ? ` ${errorId}` : ''}`} onChange={choose}
        />
      </div>
      <FileList files={chosen} choice={choice} editable={!busy} />
      <Button variant="secondary">{sendLabel}</Button>
      <div id={`${id}-status`} role="status" class="govuk-body app-status">{status}</div>
    </form>
  );
}
