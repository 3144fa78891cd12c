import { useEffect, useState } from 'preact/hooks';
import { ApiError, isStampError, recordApi } from '../api.ts';
import { LIMIT_WORDS, sizeWords, toSend, useChoice } from '../attachments/chosen.ts';
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import { ACCEPT } from '../attachments/clean.ts';
import { FileList } from '../attachments/FileList.tsx';
import { progressWords, reporterTarget, uploadFile } from '../attachments/upload.ts';
import { InsetText } from '../components/Simple.tsx';
import { useStore } from '../store.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Input } from '../components/Input.tsx';
import { Button } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { prepareStamp, withStamp } from '../pow/stamp.ts';
import { navigate } from '../router.ts';
import { refreshRecord } from './open.ts';
import type { OpenRecord } from './session.ts';

/** Characters an entry's text may hold: the sealed entry must fit its largest bucket (64 KiB). */
export const ENTRY_TEXT_MAX = 20_000;
const FIELD_MAX = 500;

type Fields = { what: string; when: string; where: string; present: string; name: string; collar: string; role: string };
const EMPTY: Fields = { what: '', when: '', where: '', present: '', name: '', collar: '', role: '' };
type FieldError = { field: string; message: string };

export function validateEntry(f: Fields): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.what.trim()) errors.push({ field: 'what', message: 'Enter what happened' });
  else if (f.what.length > ENTRY_TEXT_MAX) errors.push({ field: 'what', message: `What happened must be ${ENTRY_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` });
  for (const [k, label] of [['when', 'When'], ['where', 'Where'], ['present', 'Who was there'], ['name', 'Their name'], ['collar', 'Their collar number'], ['role', 'Their role']] as const) {
    if (f[k].length > FIELD_MAX) errors.push({ field: k, message: `${label} must be ${FIELD_MAX} characters or fewer` });
  }
  return errors;
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/** What went wrong sending the files, in the holder's words (the record holds what a case may: 40 files, 100 MB). */
function filesProblem(e: unknown): string {
  const code = e instanceof ApiError ? e.code : '';
  if (code === 'too_many_files') return 'Your record already holds as many files as it can (40). Remove a file to save this entry';
  if (code === 'case_storage_full') return 'Your record’s files can add up to 100 MB at most. Remove a file to save this entry';
  if (code === 'file_too_large') return 'A file is too large to send. Remove it, or choose a smaller one';
  return 'Your files could not be sent. Check your internet connection and try again';
}

export function AddEntryPage({ open }: { open: OpenRecord }) {
  const [f, setF] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState('');
  const [checking, setChecking] = useState(false);
  // This page's own list of chosen files, forgotten when the page goes (and by Exit this page).
  const choice = useChoice();
  const files = useStore(choice.store);
  usePage('Add an entry to your record', { hasErrors: errors.length > 0, back: '/record/entries' });
  useEffect(() => prepareStamp(), []);

  const onChoose = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const list = [...(input.files ?? [])];
    if (list.length === 0) return;
    setChecking(true);
    const found = await choice.add(list);
    input.value = '';
    setChecking(false);
    setErrors(found.length ? [{ field: 'files', message: found.map((p) => p.message).join('. ') }] : []);
    setAttempt((n) => n + 1);
  };
  const set = (k: keyof Fields) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  const err = (k: string) => errors.find((e) => e.field === k)?.message;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found = validateEntry(f);
    setErrors(found);
    if (found.length > 0) return;
    setBusy(true);
    let c: Awaited<ReturnType<typeof loadCrypto>>;
    // Files first, each sealed under the record key and stored chunk by chunk: the entry names them only
    // once every chunk is stored. A file already stored (a retry) is not sent again.
    const ids: string[] = [];
    try {
      c = await loadCrypto();
      // The record's room is known here (what its entries' files take): say so before anything is sealed.
      const used = open.view.attachments.reduce((n, f) => n + f.paddedSize, 0);
      const needed = choice.store.get().filter((x) => !x.uploadedId).reduce((n, x) => n + c.attachmentBucket(toSend(x).size), 0);
      const left = ATTACHMENT_LIMITS.casePaddedMax - used;
      if (needed > left) {
        setErrors([{ field: 'files', message: `There is not enough room left in your record for these files: about ${sizeWords(Math.max(0, left))} is left. Remove a file, or choose smaller ones` }]);
        setBusy(false);
        return;
      }
      const target = reporterTarget(open.session.authorization, (run) => withStamp(run, isStampError));
      for (const ch of choice.store.get()) {
        if (!ch.uploadedId) {
          const done = await uploadFile(c, target, open.opened.recordKey, open.reporterPk, toSend(ch), ch.file.name, ch.file.type, {
            onProgress: (p) => setProgress(progressWords(ch.file.name, p)),
          });
          choice.markUploaded(ch.key, done.id);
        }
        ids.push(choice.store.get().find((x) => x.key === ch.key)!.uploadedId!);
      }
    } catch (err) {
      setProgress('');
      setErrors([{ field: 'files', message: filesProblem(err) }]);
      setBusy(false);
      return;
    }
    setProgress('');
    try {
      const entry = {
        what: f.what.trim(), when: optional(f.when), where: optional(f.where), present: optional(f.present),
        attachments: ids.length ? ids.map((id) => ({ id })) : undefined,
      };
      const subject = { name: optional(f.name), collar: optional(f.collar), role: optional(f.role) };
      const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
      const sealed = c.sealRecordEntry(open.opened.recordKey, open.opened.recordId, drop(entry) as { what: string }, drop(subject));
      const body = ids.length ? { ...sealed, attachments: ids } : sealed;
      // The same sealed body (and id) on a retry: a lost answer then meets entry_exists, which means it was kept.
      await withStamp((stamp) => recordApi.addEntry(open.session.authorization, body, stamp), isStampError).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'entry_exists') throw err;
      });
      choice.clear();
      await refreshRecord();
      navigate('/record/entries');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'upload_unusable') {
        // A file was stored too long ago without an entry and has expired: send the files again on the next try.
        choice.store.update((list) => list.map((x) => ({ ...x, uploadedId: undefined })));
        setErrors([{ field: 'files', message: 'Your files need to be sent again. Select Save entry to try again' }]);
      } else {
        setErrors([{ field: 'what', message: 'Your entry could not be saved. Check your internet connection and try again' }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        <h1 class="govuk-heading-l">Add an entry to your record</h1>
        <p class="govuk-body">Only you can read this. It will show the date we receive it.</p>
        <form noValidate onSubmit={onSubmit}>
          <Textarea id="what" label="What happened?" labelSize="m" error={err('what')} value={f.what} onInput={set('what')} rows={8} maxLength={ENTRY_TEXT_MAX}
            hint="Write it in your own words. Include what was said or done." />
          <Input id="when" label="When did it happen? (optional)" hint="For example, 3 March around midday, or last Tuesday" error={err('when')} value={f.when} onInput={set('when')} />
          <Input id="where" label="Where did it happen? (optional)" error={err('where')} value={f.where} onInput={set('where')} />
          <Input id="present" label="Who was there? (optional)" hint="Anyone who saw or heard it" error={err('present')} value={f.present} onInput={set('present')} />
          <fieldset class="govuk-fieldset" aria-describedby="subject-hint">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Who did it? (optional)</legend>
            <div id="subject-hint" class="govuk-hint">Kept apart from the rest of your entry. Fill in what you know.</div>
            <Input id="name" label="Their name" error={err('name')} value={f.name} onInput={set('name')} autocomplete="off" />
            <Input id="collar" label="Their collar or staff number" error={err('collar')} value={f.collar} onInput={set('collar')} autocomplete="off" classes="govuk-input--width-10" />
            <Input id="role" label="Their role or rank" error={err('role')} value={f.role} onInput={set('role')} autocomplete="off" />
          </fieldset>
          <div class={`govuk-form-group${err('files') ? ' govuk-form-group--error' : ''}`}>
            <label class="govuk-label govuk-label--m" for="files">
              Add files (optional)
            </label>
            <div id="files-hint" class="govuk-hint">
              {LIMIT_WORDS} Your record can hold 40 files, 100 MB in all. You can add photos (JPG, PNG, WebP, HEIC), PDFs, text files, Word, Excel
              and PowerPoint files, audio and video. Only you can open them until you turn your record into a report.
            </div>
            {err('files') && (
              <p id="files-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">Error:</span> {err('files')}
              </p>
            )}
            <input
              class={`govuk-file-upload${err('files') ? ' govuk-file-upload--error' : ''}`} id="files" name="files" type="file" multiple
              accept={ACCEPT} aria-describedby={`files-hint${err('files') ? ' files-error' : ''}`} onChange={onChoose}
            />
          </div>
          <InsetText>
            Photos and documents can hold hidden details, such as where a photo was taken, the phone or camera that took it, or the name of
            the person who wrote a document. We remove these from photos, PDFs and Office files in this browser, before anything is sent.
          </InsetText>
          <FileList files={files} choice={choice} />
          <div role="status" class="govuk-body app-status">
            {checking ? 'Checking your files for hidden details…' : busy ? progress || 'Saving your entry…' : ''}
          </div>
          <Button>Save entry</Button>
        </form>
      </div>
    </div>
  );
}
