import type { ComponentChildren } from 'preact';
import { describedBy, ErrorMessage } from './ErrorSummary.tsx';
import { Hint, Label, type Size } from './Field.tsx';

interface Props {
  id: string;
  label: string;
  labelSize?: Size;
  isPageHeading?: boolean;
  hint?: ComponentChildren;
  error?: string | undefined;
  value: string;
  onInput: (v: string) => void;
  autocomplete?: string;
  spellcheck?: boolean;
  autocapitalize?: 'characters' | 'none' | 'off' | 'on' | 'sentences' | 'words';
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  type?: 'text' | 'password';
  classes?: string;
}

export function Input(p: Props) {
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <Label id={p.id} text={p.label} size={p.labelSize ?? 's'} isPageHeading={p.isPageHeading ?? false} />
      <Hint id={`${p.id}-hint`}>{p.hint}</Hint>
      <ErrorMessage id={p.id} message={p.error} />
      <input
        class={`govuk-input${p.classes ? ` ${p.classes}` : ''}${p.error ? ' govuk-input--error' : ''}`}
        id={p.id}
        name={p.id}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        aria-describedby={describedBy(p.hint !== undefined && `${p.id}-hint`, p.error && `${p.id}-error`)}
        autocomplete={p.autocomplete ?? 'off'}
        spellcheck={p.spellcheck}
        autocapitalize={p.autocapitalize}
        inputMode={p.inputMode}
      />
    </div>
  );
}
