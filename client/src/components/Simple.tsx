// Small presentational govuk-frontend components.
import type { ComponentChildren } from 'preact';

type ButtonProps = {
  children: ComponentChildren;
  variant?: 'secondary' | 'warning';
  type?: 'submit' | 'button';
  onClick?: (e: MouseEvent) => void;
  disabled?: boolean;
  id?: string;
  classes?: string;
};

export function Button({ children, variant, type = 'submit', onClick, disabled, id, classes }: ButtonProps) {
  return (
    <button
      type={type}
      class={`govuk-button${variant ? ` govuk-button--${variant}` : ''}${classes ? ` ${classes}` : ''}`}
      data-module="govuk-button"
      onClick={onClick}
      disabled={disabled}
      aria-disabled={disabled ? 'true' : undefined}
      id={id}
    >
      {children}
    </button>
  );
}

export function StartButton({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} draggable={false} class="govuk-button govuk-button--start" data-module="govuk-button">
      {children}
      <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
      </svg>
    </a>
  );
}

export function ButtonGroup({ children }: { children: ComponentChildren }) {
  return <div class="govuk-button-group">{children}</div>;
}

export function BackLink({ href, children = 'Back' }: { href: string; children?: ComponentChildren }) {
  return (
    <a href={href} class="govuk-back-link">
      {children}
    </a>
  );
}

export function Panel({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="govuk-panel govuk-panel--confirmation">
      <h1 class="govuk-panel__title" tabIndex={-1}>
        {title}
      </h1>
      {children && <div class="govuk-panel__body">{children}</div>}
    </div>
  );
}

export function WarningText({ children }: { children: ComponentChildren }) {
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

export function InsetText({ children }: { children: ComponentChildren }) {
  return <div class="govuk-inset-text">{children}</div>;
}

export function Details({ summary, children }: { summary: string; children: ComponentChildren }) {
  return (
    <details class="govuk-details">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{summary}</span>
      </summary>
      <div class="govuk-details__text">{children}</div>
    </details>
  );
}

export function Tag({ children, colour }: { children: ComponentChildren; colour?: string }) {
  return <strong class={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{children}</strong>;
}

export interface SummaryRow {
  key: string;
  value: ComponentChildren;
  /** A Change link; `hidden` completes the link text for screen readers ("Change what happened"). */
  change?: { href: string; hidden: string };
}

export function SummaryList({ rows, noBorder }: { rows: SummaryRow[]; noBorder?: boolean }) {
  const anyActions = rows.some((r) => r.change);
  return (
    <dl class={`govuk-summary-list${noBorder ? ' govuk-summary-list--no-border' : ''}`}>
      {rows.map((r) => (
        <div class={`govuk-summary-list__row${anyActions && !r.change ? ' govuk-summary-list__row--no-actions' : ''}`} key={r.key}>
          <dt class="govuk-summary-list__key">{r.key}</dt>
          <dd class="govuk-summary-list__value app-pre-wrap">{r.value}</dd>
          {r.change && (
            <dd class="govuk-summary-list__actions">
              <a class="govuk-link" href={r.change.href}>
                Change<span class="govuk-visually-hidden"> {r.change.hidden}</span>
              </a>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

/**
 * A GOV.UK summary card: a titled box of rows, with at most one action beside the title. `level`
 * keeps the heading in the page's outline (h2 straight under the h1, h3 under a section's h2);
 * `wrap` lets a long name or reference break rather than push the card wider than a phone.
 */
export function SummaryCard({
  title,
  level = 3,
  wrap = false,
  action,
  children,
}: {
  title: ComponentChildren;
  level?: 2 | 3;
  wrap?: boolean;
  action?: ComponentChildren;
  children: ComponentChildren;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div class="govuk-summary-card">
      <div class="govuk-summary-card__title-wrapper">
        <Heading class={`govuk-summary-card__title${wrap ? ' app-wrap' : ''}`}>{title}</Heading>
        {action && (
          <ul class="govuk-summary-card__actions">
            <li class="govuk-summary-card__action">{action}</li>
          </ul>
        )}
      </div>
      <div class="govuk-summary-card__content">{children}</div>
    </div>
  );
}
