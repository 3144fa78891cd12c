// The page where a token is typed or pasted: the case token (check your case) and the record token
// (open your record). One state machine and one form, so the two pages cannot drift apart in how
// they guard double submits, count attempts for the error summary's focus, or clear the field.
// What a token means, how it is parsed and what opens it stay with each page's `open`.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { preloadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { Input } from './Input.tsx';
import { Button, InsetText } from './Simple.tsx';

export interface TokenEntry<P extends string> {
  value: string;
  setValue: (v: string) => void;
  problem: P | null;
  attempt: number;
  busy: boolean;
  onSubmit: (e: Event) => Promise<void>;
}

interface Options<P extends string> {
  title: string;
  back: string;
  /** Parses and opens; null when opened. The field is cleared only then. */
  open: (text: string) => Promise<P | null>;
  /** Runs after a successful open (the field is already cleared). */
  opened: () => void;
  /** A problem found without any work: shown without the busy status flashing first. */
  precheck?: (text: string) => P | null;
}

export function useTokenEntry<P extends string>({ title, back, open, opened, precheck }: Options<P>): TokenEntry<P> {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<P | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage(title, { hasErrors: problem !== null, back });
  // The token's check character is verified with the crypto module: fetch it while they type.
  useEffect(() => preloadCrypto(), []);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const early = precheck?.(value) ?? null;
    if (early !== null) {
      setProblem(early);
      return;
    }
    setBusy(true);
    try {
      const p = await open(value);
      setProblem(p);
      if (p === null) {
        setValue('');
        opened();
      }
    } finally {
      setBusy(false);
    }
  };
  return { value, setValue, problem, attempt, busy, onSubmit };
}

interface FormProps<P extends string> {
  entry: TokenEntry<P>;
  words: Record<P, string>;
  id: string;
  label: string;
  hint: string;
  busyText: string;
  /** Shown between the error summary and the form (a banner). */
  notice?: ComponentChildren;
  /** The inset text under the form: what to do without the token. */
  children: ComponentChildren;
}

export function TokenEntryForm<P extends string>({ entry, words, id, label, hint, busyText, notice, children }: FormProps<P>) {
  const message = entry.problem ? words[entry.problem] : undefined;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={message ? [{ field: id, message }] : []} attempt={entry.attempt} />
        {notice}
        <form noValidate onSubmit={entry.onSubmit}>
          <Input
            id={id}
            label={label}
            labelSize="l"
            isPageHeading
            hint={hint}
            error={message}
            value={entry.value}
            onInput={entry.setValue}
            autocomplete="off"
            spellcheck={false}
            autocapitalize="characters"
            classes="app-token-input"
          />
          <div role="status" class="govuk-body app-status">
            {entry.busy ? busyText : ''}
          </div>
          <Button>Continue</Button>
        </form>
        <InsetText>{children}</InsetText>
      </div>
    </div>
  );
}
