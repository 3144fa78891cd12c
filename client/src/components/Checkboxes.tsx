import { describedBy, ErrorMessage } from './ErrorSummary.tsx';

interface Props {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** A single checkbox (no fieldset needed for one box), in govuk-checkboxes markup. */
export function Checkbox(p: Props) {
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <ErrorMessage id={p.id} message={p.error} />
      <div class="govuk-checkboxes" data-module="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={p.id}
            name={p.id}
            type="checkbox"
            checked={p.checked}
            onChange={(e) => p.onChange(e.currentTarget.checked)}
            aria-describedby={describedBy(p.hint && `${p.id}-item-hint`, p.error && `${p.id}-error`)}
          />
          <label class="govuk-label govuk-checkboxes__label" for={p.id}>
            {p.label}
          </label>
          {p.hint && (
            <div id={`${p.id}-item-hint`} class="govuk-hint govuk-checkboxes__hint">
              {p.hint}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
