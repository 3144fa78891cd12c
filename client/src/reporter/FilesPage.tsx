// Add files (optional), reached from the check page: a GOV.UK file upload
// with the limits shown before anything is chosen. Files are cleaned here, in
// the browser, and sent only with the report.
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { addFiles, chosenStore, LIMIT_WORDS, type AddProblem } from '../attachments/chosen.ts';
import { FileList } from '../attachments/FileList.tsx';
import { ACCEPT } from '../attachments/clean.ts';

export function FilesPage() {
  const files = useStore(chosenStore);
  const [problems, setProblems] = useState<AddProblem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Add files', { hasErrors: problems.length > 0, back: '/report/check' });

  const onChoose = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const list = [...(input.files ?? [])];
    if (list.length === 0) return;
    setBusy(true);
    const found = await addFiles(list);
    input.value = '';
    setBusy(false);
    setProblems(found);
    setAttempt((n) => n + 1);
  };
  const error = problems.map((p) => p.message).join('. ');

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={problems.length ? [{ field: 'files', message: problems[0]!.message }] : []} attempt={attempt} />
        <div class={`govuk-form-group${problems.length ? ' govuk-form-group--error' : ''}`}>
          <h1 class="govuk-label-wrapper">
            <label class="govuk-label govuk-label--l" for="files">
              Add files (optional)
            </label>
          </h1>
          <div id="files-hint" class="govuk-hint">
            {LIMIT_WORDS} You can add photos (JPG, PNG, WebP, HEIC), PDFs, text files, Word, Excel and PowerPoint files, audio and video.
          </div>
          {problems.length > 0 && (
            <p id="files-error" class="govuk-error-message">
              <span class="govuk-visually-hidden">Error:</span> {error}
            </p>
          )}
          <input
            class={`govuk-file-upload${problems.length ? ' govuk-file-upload--error' : ''}`} id="files" name="files" type="file" multiple
            accept={ACCEPT} aria-describedby={`files-hint${problems.length ? ' files-error' : ''}`} onChange={onChoose}
          />
        </div>
        <div role="status" class="govuk-body app-status">{busy ? 'Checking your files for hidden details…' : ''}</div>
        <InsetText>
          Photos and documents can hold hidden details, such as where a photo was taken, the phone or camera that took it, or the
          name of the person who wrote a document. We remove these from photos, PDFs and Office files in this browser, before
          anything is sent. We cannot remove what the file itself shows, such as a face or a name on the page.
        </InsetText>
        {files.length > 0 && <h2 class="govuk-heading-m">Files you have added</h2>}
        <FileList files={files} />
        <Button onClick={(e) => { e.preventDefault(); navigate('/report/check'); }} type="button">
          Continue
        </Button>
      </div>
    </div>
  );
}
