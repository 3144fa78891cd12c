// Label/legend with the question as the page's <h1>, as GOV.UK asks for one-question pages.
import type { ComponentChildren } from 'preact';

export type Size = 'l' | 'm' | 's';

export function Label({ id, text, size = 'l', isPageHeading = false }: { id: string; text: string; size?: Size; isPageHeading?: boolean }) {
  const label = (
    <label class={`govuk-label govuk-label--${size}`} for={id}>
      {text}
    </label>
  );
  return isPageHeading ? (
    <h1 class="govuk-label-wrapper" tabIndex={-1}>
      {label}
    </h1>
  ) : (
    label
  );
}

export function Legend({ text, size = 'l', isPageHeading = false }: { text: string; size?: Size; isPageHeading?: boolean }) {
  return (
    <legend class={`govuk-fieldset__legend govuk-fieldset__legend--${size}`}>
      {isPageHeading ? (
        <h1 class="govuk-fieldset__heading" tabIndex={-1}>
          {text}
        </h1>
      ) : (
        text
      )}
    </legend>
  );
}

export function Hint({ id, children }: { id: string; children: ComponentChildren }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <div id={id} class="govuk-hint">
      {children}
    </div>
  );
}
