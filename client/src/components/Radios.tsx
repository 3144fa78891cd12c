import type { ComponentChildren } from 'preact';
import { describedBy, ErrorMessage } from './ErrorSummary.tsx';
import { Hint, Legend, type Size } from './Field.tsx';

export interface RadioItem {
  value: string;
  label: string;
  hint?: string;
  /** Shown under the item while it is selected (GOV.UK conditional reveal). */
  conditional?: ComponentChildren;
}

export interface RadioGroup {
  /** A sub-heading for a set of items (for example, a command). */
  label: string;
  items: RadioItem[];
}

interface Props {
  name: string;
  legend: string;
  legendSize?: Size;
  isPageHeading?: boolean;
  hint?: ComponentChildren;
  error?: string | undefined;
  value: string | undefined;
  onChange: (v: string) => void;
  items?: RadioItem[];
  groups?: RadioGroup[];
  /** A last item after an "or" divider, for "none of these" answers. */
  orItem?: RadioItem;
  small?: boolean;
}

/**
 * The first input gets the bare `name` as its id, so the error summary's
 * `#name` link lands on it (GOV.UK convention); the rest are `name-value`.
 */
export function Radios(p: Props) {
  const all = [...(p.items ?? []), ...(p.groups ?? []).flatMap((g) => g.items), ...(p.orItem ? [p.orItem] : [])];
  const idFor = (item: RadioItem) => (item === all[0] ? p.name : `${p.name}-${item.value}`);
  const radiosClass = `govuk-radios${p.small ? ' govuk-radios--small' : ''}${all.some((i) => i.conditional) ? ' govuk-radios--conditional' : ''}`;

  const renderItem = (item: RadioItem) => {
    const id = idFor(item);
    const checked = p.value === item.value;
    const condId = `conditional-${id}`;
    return [
      <div class="govuk-radios__item" key={id}>
        <input
          class="govuk-radios__input"
          id={id}
          name={p.name}
          type="radio"
          value={item.value}
          checked={checked}
          onChange={() => p.onChange(item.value)}
          aria-describedby={item.hint ? `${id}-item-hint` : undefined}
          aria-controls={item.conditional ? condId : undefined}
        />
        <label class="govuk-label govuk-radios__label" for={id}>
          {item.label}
        </label>
        {item.hint && (
          <div id={`${id}-item-hint`} class="govuk-hint govuk-radios__hint">
            {item.hint}
          </div>
        )}
      </div>,
      item.conditional ? (
        <div key={condId} class={`govuk-radios__conditional${checked ? '' : ' govuk-radios__conditional--hidden'}`} id={condId}>
          {item.conditional}
        </div>
      ) : null,
    ];
  };

  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy(p.hint !== undefined && `${p.name}-hint`, p.error && `${p.name}-error`)}>
        <Legend text={p.legend} size={p.legendSize ?? 'l'} isPageHeading={p.isPageHeading ?? false} />
        <Hint id={`${p.name}-hint`}>{p.hint}</Hint>
        <ErrorMessage id={p.name} message={p.error} />
        {p.items && <div class={radiosClass}>{p.items.map(renderItem)}</div>}
        {p.groups?.map((g) => (
          <fieldset class="govuk-fieldset govuk-!-margin-bottom-4" key={g.label}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{g.label}</legend>
            <div class={radiosClass}>{g.items.map(renderItem)}</div>
          </fieldset>
        ))}
        {p.orItem && (
          <div class={radiosClass}>
            <div class="govuk-radios__divider">or</div>
            {renderItem(p.orItem)}
          </div>
        )}
      </fieldset>
    </div>
  );
}
