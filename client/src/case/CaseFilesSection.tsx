// The reporter's follow-up page: the case's files (opened and saved in this
// browser) and adding more. A new file is cleaned here like one sent with the
// report, then sealed under the case key and uploaded chunk by chunk; it joins
// the case when its last chunk is stored.
import { useState } from 'preact/hooks';
import { isStampError } from '../api.ts';
import { Button } from '../components/Simple.tsx';
import { loadCrypto } from '../crypto.ts';
import { withStamp } from '../pow/stamp.ts';
import { useStore } from '../store.ts';
import { formatDay } from '../reporter/words.ts';
import { addFiles, chosenStore, LIMIT_WORDS, sizeWords, toSend } from '../attachments/chosen.ts';
import { ACCEPT } from '../attachments/clean.ts';
import { FileList } from '../attachments/FileList.tsx';
import { openEntries, readFile, save } from '../attachments/read.ts';
import { progressWords, reporterTarget, uploadFile } from '../attachments/upload.ts';
import type { OpenCase } from './session.ts';

export function CaseFilesSection({ open, onAdded }: { open: OpenCase; onAdded: () => Promise<void> }) {
  const chosen = useStore(chosenStore);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [entries] = useState(() => loadCrypto().then((c) => openEntries(c, open.opened.caseKey, open.session.keyPair.publicKey, open.view.attachments)));
  const [list, setList] = useState<Awaited<typeof entries> | null>(null);
  if (list === null) void entries.then(setList);

  const choose = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const found = await addFiles([...(input.files ?? [])], chosenStore.get().length);
    input.value = '';
    setProblem(found[0]?.message ?? '');
  };

  const send = async (e: Event) => {
    e.preventDefault();
    if (busy || chosenStore.get().length === 0) return;
    setBusy(true);
    try {
      const c = await loadCrypto();
      const target = reporterTarget(open.session.authorization, (run) => withStamp(run, isStampError));
      for (const f of chosenStore.get()) {
        await uploadFile(c, target, open.opened.caseKey, open.session.keyPair.publicKey, toSend(f), f.file.name, f.file.type, {
          onProgress: (p) => setStatus(progressWords(f.file.name, p)),
        });
      }
      chosenStore.set([]);
      setStatus('Your files have been sent.');
      await onAdded();
    } catch {
      setStatus('Your files could not be sent. Check your internet connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2 class="govuk-heading-m">Files</h2>
      {list && list.length > 0 ? (
        <ul class="govuk-list">
          {list.map((f) => f.doc && (
            <li key={f.view.id}>
              <button
                type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                onClick={async () => {
                  const c = await loadCrypto();
                  const blob = await readFile(c, f.doc!, (i) => `/api/v1/case/attachments/${f.view.id}/chunks/${i}`, { Authorization: open.session.authorization });
                  save(blob, f.doc!.name);
                }}
              >
                Download<span class="govuk-visually-hidden"> {f.doc.name}</span>
              </button>{' '}
              {f.doc.name} ({sizeWords(f.doc.size)}), {f.view.from === 'reporter' ? 'from you' : 'from the team'}, {formatDay(f.view.on)}
            </li>
          ))}
        </ul>
      ) : <p class="govuk-body">No files yet.</p>}
      <form noValidate onSubmit={send}>
        <div class={`govuk-form-group${problem ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for="more-files">Add files</label>
          <div id="more-files-hint" class="govuk-hint">{LIMIT_WORDS} Hidden details are removed from photos, PDFs and Office files in this browser.</div>
          {problem && <p id="more-files-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {problem}</p>}
          <input
            class="govuk-file-upload" id="more-files" type="file" multiple accept={ACCEPT}
            aria-describedby={`more-files-hint${problem ? ' more-files-error' : ''}`} onChange={choose}
          />
        </div>
        <FileList files={chosen} />
        <Button variant="secondary">Send files</Button>
      </form>
      <div role="status" class="govuk-body app-status">{status}</div>
    </>
  );
}
