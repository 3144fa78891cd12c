// The reporter's follow-up page: the case's files (opened and saved in this
// browser) and adding more. A new file is cleaned here like one sent with the
// report (FileChooser: the same list, warnings and "send the original"), then
// sealed under the case key and uploaded chunk by chunk; it joins the case
// when its last chunk is stored.
import { useEffect, useState } from 'preact/hooks';
import { isStampError } from '../api.ts';
import { loadCrypto } from '../crypto.ts';
import { withStamp } from '../pow/stamp.ts';
import { formatDay } from '../reporter/words.ts';
import { sizeWords, useChoice } from '../attachments/chosen.ts';
import { FileChooser } from '../attachments/FileChooser.tsx';
import { openEntries, readFile, save, type FileEntry } from '../attachments/read.ts';
import { reporterTarget, uploadFile, type Progress } from '../attachments/upload.ts';
import type { OpenCase } from './session.ts';

export function CaseFilesSection({ open, onAdded }: { open: OpenCase; onAdded: () => Promise<void> }) {
  const choice = useChoice();
  const [list, setList] = useState<FileEntry[] | null>(null);
  // Opened again whenever the case's list changes (a file just sent, or one from the team), not once.
  useEffect(() => {
    let live = true;
    void loadCrypto().then((c) => { if (live) setList(openEntries(c, open.opened.caseKey, open.session.keyPair.publicKey, open.view.attachments)); });
    return () => { live = false; };
  }, [open.view.attachments]);

  const upload = async (blob: Blob, f: { file: File }, onProgress: (p: Progress) => void) => {
    const c = await loadCrypto();
    const target = reporterTarget(open.session.authorization, (run) => withStamp(run, isStampError));
    return uploadFile(c, target, open.opened.caseKey, open.session.keyPair.publicKey, blob, f.file.name, f.file.type, { onProgress });
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
      <FileChooser
        choice={choice} id="more-files" label="Add files" sendLabel="Send files" hint="The team will be able to open them."
        usedBytes={open.view.attachments.reduce((n, a) => n + a.paddedSize, 0)} upload={upload} onSent={() => onAdded()}
      />
    </>
  );
}
