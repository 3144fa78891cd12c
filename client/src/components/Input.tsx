import { describedBy } from './ErrorSummary.tsx';
import { LabelledGroup, type LabelledProps } from './Field.tsx';

interface Props extends LabelledProps {
  autocomplete?: string;
  spellcheck?: boolean;
  autocapitalize?: 'characters' | 'none' | 'off' | 'on' | 'sentences' | 'words';
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  type?: 'text' | 'password';
  classes?: string;
}

export function Input(p: Props) {
  return (
    <LabelledGroup p={p} size="s">
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
    </LabelledGroup>
  );
}
