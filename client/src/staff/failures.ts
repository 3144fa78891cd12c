// What sign-in and unlock say alike when their request fails for a reason that
// is not theirs to explain: locked out, no connection, a fault on our side.
import { ApiError, retryAfterOf } from './api.ts';
import { lockedOutWords } from './forms.ts';

/** Words for a failed request; null when the failure is not a request's (e.g. the key did not open). */
export function requestFailureWords(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 429) return lockedOutWords(retryAfterOf(err));
  if (err.status === 0) return 'We could not connect to the service. Check your connection and try again';
  return 'Something went wrong on our side. Try again in a few minutes';
}
