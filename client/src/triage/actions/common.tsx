// Shared plumbing for the small action forms on the case page.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { LIMITS } from '../../../../shared/src/api/domain.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { ApiError } from '../../staff/api.ts';
import { loadStaffCrypto, type Crypto } from '../../staff/crypto.ts';
import { Status } from '../../staff/Fields.tsx';
import type { StaffSession } from '../../staff/session.ts';
import type { OpenedStaffCase } from '../opened.ts';

export interface ActionProps {
  opened: OpenedStaffCase;
  session: StaffSession;
  /** Reloads the case and shows `message` in a success banner. */
  onDone: (message: string) => Promise<void>;
  /**
   * Shows the errors in the page's error summary. The forms are far down a
   * long page, so the summary sits at the top and takes focus (GOV.UK pattern);
   * each form keeps only its inline messages.
   */
  onErrors: (errors: FieldError[]) => void;
}

/**
 * Message, note and closing explanation are all sealed text under the same
 * limit; one check keeps their errors alike. `missing` is the wording when empty.
 */
export function sealedTextErrors(field: string, text: string, missing: string, noun: string): FieldError[] {
  if (!text.trim()) return [{ field, message: missing }];
  if (text.length > LIMITS.messageTextMax) {
    return [{ field, message: `Your ${noun} must be ${LIMITS.messageTextMax.toLocaleString('en-GB')} characters or fewer` }];
  }
  return [];
}

/** A failure whose message is already in plain words for the form. */
export class PlainError extends Error {}

export function errorWords(err: unknown): string {
  if (err instanceof PlainError) return err.message;
  if (err instanceof ApiError) {
    if (err.status === 0) return 'Could not connect. Check your connection and try again';
    if (err.code === 'case_closed') return 'This case is closed';
    if (err.status === 409) return 'The case changed while you were working on it. Reload the page and try again';
    if (err.status === 403) return 'You are not allowed to do this';
    if (err.status === 400) return 'The service did not accept this. Check your answers and try again';
    return 'Something went wrong on our side. Try again';
  }
  if (err instanceof Error && err.name === 'KeyChainError') {
    return 'We could not confirm that this key belongs to the person it names, so nothing was shared. Ask your team lead to check the team’s keys';
  }
  return 'Your browser could not seal this. Try again';
}

/**
 * Runs `validate`, then `act` with the staff crypto, showing progress and
 * errors: inline here, summarised through `onErrors` at the top of the page.
 * `field` is where a failure from the server is pinned.
 */
export function useAction(field: string, onErrors: (errors: FieldError[]) => void) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState('');
  const show = (found: FieldError[]) => {
    setErrors(found);
    if (found.length) onErrors(found);
  };
  const run = async (validate: () => FieldError[], progress: string, act: (c: Crypto) => Promise<void>) => {
    if (busy) return;
    const found = validate();
    show(found);
    if (found.length) return;
    setBusy(progress);
    try {
      await act(await loadStaffCrypto());
    } catch (err) {
      show([{ field, message: errorWords(err) }]);
    } finally {
      setBusy('');
    }
  };
  const errorFor = (f: string) => errors.find((e) => e.field === f)?.message;
  return { busy, run, errorFor };
}

export function ActionForm(p: { id: string; title: string; busy: string; onSubmit: (e: Event) => void; children: ComponentChildren }) {
  return (
    <section class="govuk-!-margin-bottom-8" aria-labelledby={`${p.id}-title`}>
      <h2 class="govuk-heading-m" id={`${p.id}-title`}>
        {p.title}
      </h2>
      <form noValidate onSubmit={(e) => (e.preventDefault(), p.onSubmit(e))}>
        {p.children}
        <Status text={p.busy} />
      </form>
    </section>
  );
}
