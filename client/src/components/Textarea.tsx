import { describedBy } from './ErrorSummary.tsx';
import { LabelledGroup, type LabelledProps } from './Field.tsx';

interface Props extends LabelledProps {
  rows?: number;
  /** When set, shows how many characters are left (GOV.UK character count, without its JS). */
  maxLength?: number;
}

export function Textarea(p: Props) {
  const remaining = p.maxLength === undefined ? undefined : p.maxLength - p.value.length;
  const countId = `${p.id}-info`;
  const field = (
    <LabelledGroup p={p} size="l">
      <textarea
        class={`govuk-textarea${remaining !== undefined ? ' govuk-js-character-count' : ''}${p.error || (remaining ?? 0) < 0 ? ' govuk-textarea--error' : ''}`}
        id={p.id}
        name={p.id}
        rows={p.rows ?? 5}
        value={p.value}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        aria-describedby={describedBy(p.hint !== undefined && `${p.id}-hint`, p.error && `${p.id}-error`, remaining !== undefined && countId)}
        spellcheck
      />
      {remaining !== undefined && (
        <div id={countId} class={`govuk-character-count__message${remaining < 0 ? ' govuk-error-message' : ' govuk-hint'}`}>
          {remaining >= 0
            ? `You have ${remaining.toLocaleString('en-GB')} character${remaining === 1 ? '' : 's'} remaining`
            : `You have ${(-remaining).toLocaleString('en-GB')} character${remaining === -1 ? '' : 's'} too many`}
        </div>
      )}
    </LabelledGroup>
  );
  return remaining === undefined ? field : <div class="govuk-character-count">{field}</div>;
}
