// Staff form bits the reporter components do not cover: password and one-time-code inputs, selects, banners.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { describedBy, ErrorMessage } from '../components/ErrorSummary.tsx';
import { Hint } from '../components/Field.tsx';
import { Input } from '../components/Input.tsx';

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'password';
  autocomplete?: string;
  inputMode?: 'numeric' | 'text';
  classes?: string;
}

/** A staff text, passphrase or code input: the shared Input, never spell-checked or capitalised. */
export function TextField(p: FieldProps) {
  return <Input {...p} spellcheck={false} autocapitalize="none" />;
}

/** The passphrase that unlocks the staff key (sign in, unlock after a reload): the password manager may fill it. */
export function CurrentPassphrase(p: { value: string; onInput: (v: string) => void; error: string | undefined }) {
  return <TextField id="passphrase" label="Passphrase" type="password" value={p.value} onInput={p.onInput} autocomplete="current-password" error={p.error} />;
}

export interface Option {
  value: string;
  label: string;
}

export function Select(p: { id: string; label: string; hint?: string; error?: string | undefined; value: string; options: Option[]; onChange: (v: string) => void }) {
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label govuk-label--s" for={p.id}>
        {p.label}
      </label>
      <Hint id={`${p.id}-hint`}>{p.hint}</Hint>
      <ErrorMessage id={p.id} message={p.error} />
      <select
        class={`govuk-select${p.error ? ' govuk-select--error' : ''}`}
        id={p.id}
        name={p.id}
        value={p.value}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        aria-describedby={describedBy(p.hint && `${p.id}-hint`, p.error && `${p.id}-error`)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface BannerProps {
  title: string;
  success?: boolean;
  /**
   * Set for the outcome of something the user just did: the banner takes focus
   * (scrolling into view) each time this changes, as govuk-frontend's own
   * success banner does, so it is seen on a long page and read out at once.
   */
  focusKey?: number;
  children: ComponentChildren;
}

export function Banner({ title, success, focusKey, children }: BannerProps) {
  const id = `banner-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusKey !== undefined) ref.current?.focus();
  }, [focusKey]);
  return (
    <div
      class={`govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`}
      role={success ? 'alert' : 'region'}
      aria-labelledby={id}
      tabIndex={focusKey !== undefined ? -1 : undefined}
      ref={ref}
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id={id}>
          {title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">{children}</div>
    </div>
  );
}

/** Announces async progress to screen readers; empty when idle. */
export function Status({ text }: { text: string }) {
  return (
    <div role="status" aria-live="polite" class="govuk-body app-status">
      {text}
    </div>
  );
}
