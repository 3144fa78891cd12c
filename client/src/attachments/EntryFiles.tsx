// The files one private record entry names (its sealed body lists their ids),
// for the holder's record page and the triage case page alike: each opened from
// its meta, fetched chunk by chunk, decrypted here and saved. While the chunks
// are fetched their attachment hash is computed, so the file's receipt (when the
// reader has one) is checked against exactly the bytes just received.
import { useState } from 'preact/hooks';
import type { Receipt } from '../../../shared/src/crypto/receipt-format.ts';
import { loadCrypto } from '../crypto.ts';
import { checkFileReceipt, FILE_RECEIPT_WORDS, type EntryReceiptStatus } from '../receipt/entries.ts';
import { receiptFileName } from '../receipt/ReceiptSave.tsx';
import { downloadText } from '../receipt/save.ts';
import { receiptText } from '../../../shared/src/crypto/receipt-format.ts';
import { sizeWords } from './chosen.ts';
import { readFile, save, type FileEntry } from './read.ts';

export interface EntryFilesProps {
  /** The references in the entry's sealed body. */
  refs: { id: string }[];
  /** Every file of the record or case, metas opened. */
  files: FileEntry[];
  /** The route of chunk `i` of file `id`, and the headers it needs (a token's Authorization; staff send their cookie). */
  chunkUrl: (id: string, i: number) => string;
  headers?: Record<string, string>;
  /** The holder's receipts, by file id (the team checks a receipt the holder gives them with Check a receipt). */
  receipts?: Map<string, Receipt>;
  /** The case reference a receipt must name, when known. */
  reference?: string;
}

export function EntryFiles({ refs, files, chunkUrl, headers, receipts, reference }: EntryFilesProps) {
  const [status, setStatus] = useState('');
  const [checked, setChecked] = useState<Record<string, EntryReceiptStatus>>({});

  const download = async (f: FileEntry) => {
    const doc = f.doc;
    if (!doc) return;
    setStatus(`Opening ${doc.name}…`);
    try {
      const c = await loadCrypto();
      const hasher = c.attachmentHasher();
      const blob = await readFile(c, doc, (i) => chunkUrl(f.view.id, i), headers, (sealed) => hasher.update(sealed));
      const receipt = receipts?.get(f.view.id);
      if (receipt) {
        const result = await checkFileReceipt(receipt, c.toB64u(hasher.digest()), f.view.on, reference);
        setChecked((old) => ({ ...old, [f.view.id]: result }));
      }
      save(blob, doc.name);
      setStatus(`${doc.name} has been saved to your downloads.`);
    } catch {
      setStatus(`${doc.name} could not be opened. Try again.`);
    }
  };

  return (
    <>
      <ul class="govuk-list" data-testid="entry-files">
        {refs.map((r) => {
          const f = files.find((x) => x.view.id === r.id);
          if (!f?.doc) return <li key={r.id}>A file that could not be opened</li>;
          const receipt = receipts?.get(r.id);
          return (
            <li key={r.id} data-testid="entry-file">
              {f.doc.name} ({sizeWords(f.doc.size)})
              <br />
              <button type="button" class="app-link-button govuk-link" onClick={() => download(f)}>
                Download<span class="govuk-visually-hidden"> {f.doc.name}</span>
              </button>
              {receipt && (
                <>
                  {' '}
                  <button type="button" class="app-link-button govuk-link" onClick={() => downloadText(receiptFileName(receipt), receiptText(receipt), 'application/json')}>
                    Download receipt<span class="govuk-visually-hidden"> for {f.doc.name}</span>
                  </button>
                  <br />
                  <span class="govuk-body-s" data-testid="file-receipt">Receipt: {FILE_RECEIPT_WORDS[checked[r.id] ?? 'checking']}</span>
                </>
              )}
            </li>
          );
        })}
      </ul>
      <div role="status" class="govuk-body-s app-status">{status}</div>
    </>
  );
}
