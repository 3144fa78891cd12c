// The administrator keeps the list of where reporters can get support: force-wide entries and
// each command's own. Public information; every change is audited by the server.
import { useEffect, useState } from 'preact/hooks';
import type { SupportKind } from '../../../../shared/src/api/schemas.ts';
import type { SupportContactAdmin, SupportContactInput } from '../../../../shared/src/api/staff.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Button, SummaryCard, SummaryList } from '../../components/Simple.tsx';
import { usePage } from '../../page.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { ApiError, staffApi } from '../api.ts';
import { Banner, Select, Status, TextField } from '../Fields.tsx';

const KIND_WORDS: Record<SupportKind, string> = {
  welfare: 'Welfare officer',
  association: 'Staff support association',
  network: 'Staff network',
  eap: 'Employee assistance service',
  helpline: 'Independent helpline',
};

interface Draft { command: string; kind: string; name: string; description: string; phone: string; url: string; email: string }
const EMPTY: Draft = { command: '', kind: '', name: '', description: '', phone: '', url: '', email: '' };

function validate(d: Draft): FieldError[] {
  const e: FieldError[] = [];
  if (!d.kind) e.push({ field: 'support-kind', message: 'Select what kind of support this is' });
  if (!d.name.trim()) e.push({ field: 'support-name', message: 'Enter the name of the service' });
  if (d.phone && !/^[0-9+() -]{3,32}$/.test(d.phone)) e.push({ field: 'support-phone', message: 'Enter a phone number using only digits, spaces, +, ( and )' });
  if (d.url && !/^https:\/\/[A-Za-z0-9.-]+(\/\S*)?$/.test(d.url)) e.push({ field: 'support-url', message: 'Enter a web address starting https://' });
  if (d.email && !/^[^\s@<>(),;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(d.email)) e.push({ field: 'support-email', message: 'Enter an email address like name@example.org' });
  if (!d.phone && !d.url && !d.email) e.push({ field: 'support-phone', message: 'Enter at least one of a phone number, web address or email address' });
  return e;
}

export function SupportContactsPage() {
  const [contacts, setContacts] = useState<SupportContactAdmin[] | null>(null);
  const [commands, setCommands] = useState<{ id: string; label: string }[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<{ text: string; n: number } | null>(null);
  const [busy, setBusy] = useState('');
  usePage('Where reporters can get support', { hasErrors: errors.length > 0, back: '/triage/admin' });
  const load = () =>
    staffApi.supportContacts().then(
      (r) => {
        setContacts(r.contacts);
        setCommands(r.commands);
      },
      () => setErrors([{ field: 'support-kind', message: 'The list could not be loaded. Reload the page to try again' }]),
    );
  useEffect(() => void load(), []);
  const set = (p: Partial<Draft>) => setDraft({ ...draft, ...p });
  const errorFor = (f: string) => errors.find((e) => e.field === f)?.message;
  const commandLabel = (id: string | null) => (id === null ? 'Force-wide' : commands.find((c) => c.id === id)?.label ?? id);

  const add = async (e: Event) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    const found = validate(draft);
    setErrors(found);
    if (found.length > 0) return;
    const body: SupportContactInput = {
      command: draft.command || null, kind: draft.kind as SupportKind, name: draft.name.trim(), description: draft.description.trim(),
      ...(draft.phone ? { phone: draft.phone.trim() } : {}), ...(draft.url ? { url: draft.url.trim() } : {}), ...(draft.email ? { email: draft.email.trim() } : {}),
    };
    setBusy('Adding…');
    try {
      await staffApi.addSupportContact(body);
      setDraft(EMPTY);
      await load();
      setDone({ text: `${body.name} was added to the list.`, n: attempt + 1 });
    } catch (err) {
      setErrors([{ field: 'support-name', message: err instanceof ApiError && err.status === 400 ? 'The service did not accept this. Check your answers' : 'Something went wrong. Try again' }]);
    } finally {
      setBusy('');
    }
  };

  const remove = async (c: SupportContactAdmin) => {
    setBusy('Removing…');
    try {
      await staffApi.removeSupportContact(c.id);
      await load();
      setDone({ text: `${c.name} was removed from the list.`, n: attempt + 1 });
    } catch {
      setErrors([{ field: 'support-kind', message: 'It could not be removed. Reload the page and try again' }]);
    } finally {
      setBusy('');
    }
  };

  return (
    <>
      {done && (
        <Banner title="Success" success focusKey={done.n}>
          <p class="govuk-notification-banner__heading">{done.text}</p>
        </Banner>
      )}
      <ErrorSummary errors={errors} attempt={attempt} />
      <h1 class="govuk-heading-l">Where reporters can get support</h1>
      <p class="govuk-body">
        Reporters see this list after they send a report or a question, and on their case page: the force-wide entries, and their own
        command’s. Links go straight to each service; nothing records which one a reporter follows.
      </p>
      <h2 class="govuk-heading-m">The list</h2>
      {contacts === null ? (
        <Status text="Loading…" />
      ) : (
        contacts.map((c) => (
          <SummaryCard
            key={c.id}
            title={c.name}
            wrap
            action={
              <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => void remove(c)}>
                Remove<span class="govuk-visually-hidden"> {c.name}</span>
              </button>
            }
          >
            <SummaryList
              rows={[
                { key: 'Kind', value: KIND_WORDS[c.kind] },
                { key: 'Applies to', value: commandLabel(c.command) },
                ...(c.description ? [{ key: 'Description', value: c.description }] : []),
                ...(c.phone ? [{ key: 'Phone', value: c.phone }] : []),
                ...(c.url ? [{ key: 'Web address', value: c.url }] : []),
                ...(c.email ? [{ key: 'Email', value: c.email }] : []),
              ]}
            />
          </SummaryCard>
        ))
      )}
      <h2 class="govuk-heading-m">Add to the list</h2>
      <form noValidate onSubmit={add}>
        <Select id="support-command" label="Applies to" value={draft.command} onChange={(v) => set({ command: v })} options={[{ value: '', label: 'Force-wide' }, ...commands.map((c) => ({ value: c.id, label: c.label }))]} />
        <Select id="support-kind" label="Kind of support" error={errorFor('support-kind')} value={draft.kind} onChange={(v) => set({ kind: v })} options={[{ value: '', label: 'Choose a kind' }, ...Object.entries(KIND_WORDS).map(([value, label]) => ({ value, label }))]} />
        <TextField id="support-name" label="Name" error={errorFor('support-name')} value={draft.name} onInput={(v) => set({ name: v })} />
        <TextField id="support-description" label="Description (optional)" value={draft.description} onInput={(v) => set({ description: v })} />
        <TextField id="support-phone" label="Phone (optional)" error={errorFor('support-phone')} value={draft.phone} onInput={(v) => set({ phone: v })} inputMode="text" />
        <TextField id="support-url" label="Web address (optional)" hint="Starting https://" error={errorFor('support-url')} value={draft.url} onInput={(v) => set({ url: v })} />
        <TextField id="support-email" label="Email (optional)" error={errorFor('support-email')} value={draft.email} onInput={(v) => set({ email: v })} />
        <Status text={busy} />
        <Button>Add</Button>
      </form>
    </>
  );
}
