// The chosen files as a GOV.UK summary list: what each is, what was found and
// removed, a way to keep the original (with a plain warning), and a warning
// for files that cannot be cleaned. Shared by the report journey, the
// follow-up page and a staff member's case (FileChooser).
import { WarningText } from '../components/Simple.tsx';
import { reportChoice, sizeWords, type Chosen, type Choice } from './chosen.ts';

const UNCLEANABLE: Record<string, string> = {
  heic: 'We cannot remove hidden details from HEIC photos. They may show where and when the photo was taken and which phone took it. If you can, save it as a JPG first.',
  audio: 'We cannot remove hidden details from audio files. They may show when and on which device the recording was made.',
  video: 'We cannot remove hidden details from video files. They may show where and when the video was made and which device made it.',
  text: '',
};

export function FileList({ files, editable = true, choice = reportChoice }: { files: Chosen[]; editable?: boolean; choice?: Choice }) {
  if (files.length === 0) return null;
  return (
    <dl class="govuk-summary-list app-file-list">
      {files.map((c) => (
        <div class="govuk-summary-list__row" key={c.key}>
          <dt class="govuk-summary-list__key">
            {c.file.name}
            <br />
            <span class="govuk-body-s">{sizeWords(c.file.size)}</span>
          </dt>
          <dd class="govuk-summary-list__value">
            {c.cleaned && c.removed.length === 0 && <p class="govuk-body">We found no hidden details in this file.</p>}
            {c.cleaned && c.removed.length > 0 && (
              <>
                <p class="govuk-body">{c.keepOriginal ? 'You chose to send the original file, with these hidden details:' : 'We removed these hidden details:'}</p>
                <ul class="govuk-list govuk-list--bullet">
                  {c.removed.map((r) => <li key={r}>{r}</li>)}
                </ul>
                {editable && (
                  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                    <div class="govuk-checkboxes__item">
                      <input
                        class="govuk-checkboxes__input" id={`keep-${c.key}`} type="checkbox" checked={c.keepOriginal}
                        onChange={(e) => choice.setKeepOriginal(c.key, (e.target as HTMLInputElement).checked)}
                      />
                      <label class="govuk-label govuk-checkboxes__label" for={`keep-${c.key}`}>
                        Send the original file, with these details
                      </label>
                    </div>
                  </div>
                )}
                {c.keepOriginal && (
                  <WarningText>
                    The original file may show who you are, where you were, or which device you used. Only keep it if these details are
                    evidence.
                  </WarningText>
                )}
              </>
            )}
            {!c.cleaned && UNCLEANABLE[c.kind] && <WarningText>{UNCLEANABLE[c.kind]}</WarningText>}
          </dd>
          {editable && (
            <dd class="govuk-summary-list__actions">
              <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => choice.remove(c.key)}>
                Remove<span class="govuk-visually-hidden"> {c.file.name}</span>
              </button>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
