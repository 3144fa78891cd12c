// A new token, shown once: the case token (after a report or a question) and the record token
// (after starting a record). Shown in groups, with a spelled-out copy for screen readers (one long
// "word" is read as nonsense), copied only on request, and with the same advice on keeping it.
import { Fragment, type ComponentChildren } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { hasExited } from '../memory.ts';
import { setLeaveGuard } from '../router.ts';
import { Checkbox } from './Checkboxes.tsx';
import { Button, ButtonGroup } from './Simple.tsx';

export type TokenKind = 'case' | 'record';

/** "40WMR-K16SZ" → "4 0 W M R, K 1 6 S Z": screen readers then read one character at a time. */
export function spellOut(display: string): string {
  return display
    .split('-')
    .map((g) => g.split('').join(' '))
    .join(', ');
}

export function TokenText({ kind, display }: { kind: TokenKind; display: string }) {
  const groups = display.split('-');
  return (
    <>
      <p class="govuk-visually-hidden">
        Your {kind} token, one character at a time: {spellOut(display)}.
      </p>
      <p class="app-token" data-testid={`${kind}-token`}>
        {groups.map((g, i) => (
          <Fragment key={i}>
            <span class="app-token__group">{g}</span>
            {i < groups.length - 1 && (
              <>
                <span aria-hidden="true">-</span>
                <wbr />
              </>
            )}
          </Fragment>
        ))}
      </p>
    </>
  );
}

const CAPITALISED: Record<TokenKind, string> = { case: 'Case', record: 'Record' };

/**
 * Copies only when asked, and says how it went in a live region; a failed copy says what to do
 * instead. Other ways to save it (a download) go beside the copy button as children.
 */
export function CopyToken({ kind, display, children }: { kind: TokenKind; display: string; children?: ComponentChildren }) {
  const [copyMessage, setCopyMessage] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(display);
      setCopyMessage(`${CAPITALISED[kind]} token copied. Paste it somewhere safe and private.`);
    } catch {
      setCopyMessage(`Your browser did not let us copy the ${kind} token. Select it on the screen and copy it, or write it down.`);
    }
  };
  return (
    <>
      <ButtonGroup>
        <Button type="button" variant="secondary" onClick={copy}>
          {`Copy ${kind} token`}
        </Button>
        {children}
      </ButtonGroup>
      <div role="status" class="govuk-body app-status">
        {copyMessage}
      </div>
      <p class="govuk-body">
        You can also write it down. Think about where you keep it: a shared computer, a work phone or a work email account may be
        seen by others.
      </p>
    </>
  );
}

export function notSavedWords(kind: TokenKind): string {
  return `Confirm you have saved your ${kind} token somewhere safe`;
}

export interface SavedCheck {
  saved: boolean;
  error: boolean;
  /** Counts the Continue presses, for an error summary that should take focus again each time. */
  attempt: number;
  onChange: (saved: boolean) => void;
  onContinue: (e: Event) => void;
}

/** The page cannot be left by Continue until the holder confirms the token is saved: it is not shown again. */
/**
 * Until the holder confirms they saved the token, closing the tab or leaving the page in the app asks
 * first (never when leaving through Exit this page): the token cannot be shown again. A layout
 * effect, so ticking the box lifts the guard before the next key press (an effect can wait for a
 * frame, and a quick Tab, Enter would then still be asked).
 */
export function useLeaveGuard(kind: TokenKind, saved: boolean): void {
  useLayoutEffect(() => {
    if (saved) {
      setLeaveGuard(null);
      return;
    }
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (hasExited()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    const question = `You have not confirmed that you saved your ${kind} token. It cannot be shown again. Leave this page?`;
    setLeaveGuard(() => hasExited() || window.confirm(question));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      setLeaveGuard(null);
    };
  }, [saved]);
}

export function useSavedCheck(done: () => void): SavedCheck {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const onChange = (c: boolean) => {
    setSaved(c);
    if (c) setError(false);
  };
  const onContinue = (e: Event) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    if (!saved) {
      setError(true);
      return;
    }
    done();
  };
  return { saved, error, attempt, onChange, onContinue };
}

export function SavedCheckForm({ kind, check }: { kind: TokenKind; check: SavedCheck }) {
  return (
    <form noValidate onSubmit={check.onContinue}>
      <Checkbox
        id="saved"
        label={`I have saved my ${kind} token somewhere safe`}
        error={check.error ? notSavedWords(kind) : undefined}
        checked={check.saved}
        onChange={check.onChange}
      />
      <Button>Continue</Button>
    </form>
  );
}
