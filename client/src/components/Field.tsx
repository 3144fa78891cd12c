// Label/legend with the question as the page's <h1>, as GOV.UK asks for one-question pages.
import type { ComponentChildren } from 'preact';
import { ErrorMessage } from './ErrorSummary.tsx';

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

/** What a labelled text control (Input, Textarea) takes; its id also names the hint and the error. */
export interface LabelledProps {
  id: string;
  label: string;
  labelSize?: Size;
  isPageHeading?: boolean;
  hint?: ComponentChildren;
  error?: string | undefined;
  value: string;
  onInput: (v: string) => void;
}

/** The form group around a labelled text control: label, hint, error, then the control itself. */
export function LabelledGroup({ p, size, children }: { p: LabelledProps; size: Size; children: ComponentChildren }) {
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <Label id={p.id} text={p.label} size={p.labelSize ?? size} isPageHeading={p.isPageHeading ?? false} />
      <Hint id={`${p.id}-hint`}>{p.hint}</Hint>
      <ErrorMessage id={p.id} message={p.error} />
      {children}
    </div>
  );
}
