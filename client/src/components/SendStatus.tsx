// The live status under a form that seals and sends anonymously (a question, a conversion). The
// proof-of-work stamp is usually solved before Send; when it is not, the wait can take seconds,
// so the status says why instead of looking stuck.
import { stampWaiting } from '../pow/stamp.ts';
import { useStore } from '../store.ts';

export const STAMP_WAITING_WORDS = 'Preparing to send securely… this can take a few seconds.';

export function SendStatus({ busy, sending }: { busy: boolean; sending: string }) {
  const waiting = useStore(stampWaiting);
  return (
    <div role="status" class="govuk-body app-status">
      {busy ? (waiting ? STAMP_WAITING_WORDS : sending) : ''}
    </div>
  );
}
