// Where to get support, shown after sending (report or advice) and on the case page. The list is
// fetched whole (the request says nothing about the reporter); the browser shows the force-wide
// entries and, when it knows the command, that command's own. Links are plain links straight to
// each service, opened with no referrer and no opener: nothing passes through our server, so
// nothing can record which one a reporter follows.
import { useEffect, useState } from 'preact/hooks';
import type { SupportContact, SupportKind } from '../../../shared/src/api/schemas.ts';
import { api } from '../api.ts';

const HEADINGS: Record<SupportKind, string> = {
  welfare: 'Welfare officers',
  association: 'Staff support associations',
  network: 'Staff networks',
  eap: 'Employee assistance service',
  helpline: 'Independent helplines',
};
const ORDER: SupportKind[] = ['welfare', 'association', 'network', 'eap', 'helpline'];

/** `tel:` wants digits and a leading +, no spaces. */
const telOf = (phone: string): string => `tel:${phone.replace(/[^0-9+]/g, '')}`;

function Contact({ c }: { c: SupportContact }) {
  return (
    <li class="govuk-!-margin-bottom-4">
      <strong>{c.name}</strong>
      {c.command && <span class="govuk-body-s"> ({c.command.label})</span>}
      {c.description && <p class="govuk-body govuk-!-margin-bottom-1">{c.description}</p>}
      <ul class="govuk-list govuk-!-margin-bottom-0">
        {c.phone && (
          <li>
            Phone: <a class="govuk-link" href={telOf(c.phone)} rel="noreferrer noopener">{c.phone}</a>
          </li>
        )}
        {c.email && (
          <li>
            Email: <a class="govuk-link" href={`mailto:${c.email}`} rel="noreferrer noopener">{c.email}</a>
          </li>
        )}
        {c.url && (
          <li>
            <a class="govuk-link" href={c.url} rel="noreferrer noopener" target="_blank" data-support-link="">
              {c.name} website (opens in new tab)
            </a>
          </li>
        )}
      </ul>
    </li>
  );
}

type State = { kind: 'loading' } | { kind: 'ready'; contacts: SupportContact[] } | { kind: 'error' };

/** `command`: the reporter's command when the page knows it (advice); otherwise every command's entries are shown, labelled. */
export function SupportList({ command, headingLevel = 2 }: { command?: string | undefined; headingLevel?: 2 | 3 }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    api.support().then(
      (r) => live && setState({ kind: 'ready', contacts: r.contacts }),
      () => live && setState({ kind: 'error' }),
    );
    return () => {
      live = false;
    };
  }, []);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section aria-labelledby="support-heading" data-testid="support-list">
      <H class="govuk-heading-m" id="support-heading">
        Getting support
      </H>
      <p class="govuk-body">
        Raising a concern can be hard. You can talk to any of these, whether or not you report. They are separate from the team that
        reads your report, and we do not know whether you contact them.
      </p>
      {state.kind === 'loading' && <p class="govuk-body" role="status">Loading where to get support…</p>}
      {state.kind === 'error' && (
        <p class="govuk-body">We could not load the list of support services. Your staff association or welfare officer can help.</p>
      )}
      {state.kind === 'ready' &&
        ORDER.map((kind) => {
          const items = state.contacts.filter((c) => c.kind === kind && (c.command === null || command === undefined || c.command.id === command));
          if (items.length === 0) return null;
          return (
            <div key={kind}>
              <Sub class="govuk-heading-s">{HEADINGS[kind]}</Sub>
              <ul class="govuk-list">
                {items.map((c) => (
                  <Contact c={c} key={c.id} />
                ))}
              </ul>
            </div>
          );
        })}
    </section>
  );
}
