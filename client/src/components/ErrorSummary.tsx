import { useEffect, useRef } from 'preact/hooks';
import type { FieldError } from '../reporter/flow.ts';

/** Moves focus to a field the way govuk-frontend's ErrorSummary does, without touching the URL. */
export function focusField(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const legendOrLabel = el.closest('fieldset')?.querySelector('legend') ?? document.querySelector(`label[for="${CSS.escape(id)}"]`);
  (legendOrLabel ?? el).scrollIntoView();
  el.focus({ preventScroll: true });
}

interface Props {
  errors: FieldError[];
  /** Changes each time the form is submitted with errors, so focus moves again. */
  attempt?: number;
}

export function ErrorSummary({ errors, attempt = 0 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [errors.length > 0, attempt]);
  if (errors.length === 0) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {errors.map((e) => (
              <li key={e.field}>
                <a
                  href={`#${e.field}`}
                  onClick={(ev) => {
                    ev.preventDefault();
                    focusField(e.field);
                  }}
                >
                  {e.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function ErrorMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} class="govuk-error-message">
      <span class="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}

export function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}
