// The case's files, opened in this browser: a picture shows in the page, any
// other file is saved. Staff may add files to the case: cleaned of hidden
// details here first, exactly as a reporter's are (FileChooser, with the same
// list, warnings and "send the original"), then sealed under the case key,
// chunk by chunk.
import { useState } from 'preact/hooks';
import { formatDay } from '../reporter/words.ts';
import { sizeWords, useChoice } from '../attachments/chosen.ts';
import { FileChooser } from '../attachments/FileChooser.tsx';
import { dataUrl, openEntries, PREVIEWABLE, readFile, save, type FileEntry } from '../attachments/read.ts';
import { staffTarget, uploadFile, type Progress } from '../attachments/upload.ts';
import { loadStaffCrypto } from '../staff/crypto.ts';
import { csrfTokenNow } from '../staff/api.ts';
import type { OpenedStaffCase } from './opened.ts';

export function CaseFiles({ opened, onAdded }: { opened: OpenedStaffCase; onAdded: (names: string[]) => void }) {
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [preview, setPreview] = useState<{ id: string; url: string; name: string } | null>(null);
  const [status, setStatus] = useState('');
  const d = opened.detail;
  const ref = d.caseRef;

  if (entries === null) {
    void loadStaffCrypto().then((c) => setEntries(openEntries(c.rc1, opened.caseKey, opened.reporterPk, d.attachments)));
  }

  const open = async (e: FileEntry) => {
    if (!e.doc) return;
    setStatus(`Opening ${e.doc.name}…`);
    try {
      const c = await loadStaffCrypto();
      const blob = await readFile(c.rc1, e.doc, (i) => `/api/v1/staff/cases/${encodeURIComponent(ref)}/attachments/${e.view.id}/chunks/${i}`);
      if (PREVIEWABLE.has(e.doc.type)) {
        setPreview({ id: e.view.id, url: await dataUrl(blob), name: e.doc.name });
        setStatus(`${e.doc.name} is shown below the list of files.`);
      } else {
        save(blob, e.doc.name);
        setStatus(`${e.doc.name} has been saved to your downloads.`);
      }
    } catch {
      setStatus(`${e.doc.name} could not be opened. Try again.`);
    }
  };

  const choice = useChoice();
  const upload = async (blob: Blob, f: { file: File }, onProgress: (p: Progress) => void) => {
    const c = await loadStaffCrypto();
    return uploadFile(c.rc1, staffTarget(ref, csrfTokenNow() ?? ''), opened.caseKey, opened.reporterPk, blob, f.file.name, f.file.type, { onProgress });
  };

  return (
    <>
      <h2 class="govuk-heading-m">Files</h2>
      {d.attachments.length === 0 && <p class="govuk-body">No files.</p>}
      {entries && entries.length > 0 && (
        // At 320 px the four columns are wider than the screen: the table scrolls on its own (as the oversight tables do), not the page.
        <div class="app-table-scroll" tabIndex={0} role="region" aria-label="Files in this case">
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-visually-hidden">Files in this case</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">File</th>
              <th scope="col" class="govuk-table__header">From</th>
              <th scope="col" class="govuk-table__header">Added</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {entries.map((e) => (
              <tr class="govuk-table__row" key={e.view.id}>
                <td class="govuk-table__cell">{e.doc ? `${e.doc.name} (${sizeWords(e.doc.size)})` : 'A file that could not be opened'}</td>
                <td class="govuk-table__cell">{e.view.from === 'reporter' ? 'Reporter' : 'Team'}</td>
                <td class="govuk-table__cell">{formatDay(e.view.on)}</td>
                <td class="govuk-table__cell">
                  {e.doc && (
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => open(e)}>
                      {PREVIEWABLE.has(e.doc.type) ? 'Show' : 'Download'}<span class="govuk-visually-hidden"> {e.doc.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <div role="status" class="govuk-body app-status">{status}</div>
      {preview && (
        <figure class="app-file-preview">
          <img src={preview.url} alt={`Picture from the case: ${preview.name}`} style="max-width:100%" />
          <figcaption class="govuk-body-s">{preview.name}</figcaption>
        </figure>
      )}
      <FileChooser
        choice={choice} id="staff-file" label="Add files to this case" sendLabel="Add files"
        hint="The reporter and your team will be able to open them."
        usedBytes={d.attachments.reduce((n, a) => n + a.paddedSize, 0)} upload={upload}
        onSent={onAdded}
      />
    </>
  );
}
