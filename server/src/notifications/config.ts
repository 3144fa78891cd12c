// SMTP settings from the environment, checked once at start: a bad value stops
// the process with one clear line (process.ts startFailed) rather than failing
// quietly at the first mail. No SMTP_HOST at all = notifications are queued in
// the outbox and not sent (the backlog shows it).
import { createTransport } from 'nodemailer';
import type { MailTransport } from './sender.ts';

export type SmtpTls = 'starttls' | 'implicit' | 'none';

export interface MailConfig {
  host: string;
  port: number;
  tls: SmtpTls;
  user: string | null;
  password: string | null;
  from: string;
  /** The portal's public base URL; mails link to its staff sign-in page. */
  portalUrl: string;
  /** How often the sender wakes (NOTIFY_INTERVAL_SECONDS, 1–3600, default 30). */
  intervalMs: number;
}

const VARS = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_TLS', 'SMTP_USER', 'SMTP_PASSWORD', 'MAIL_FROM', 'PORTAL_URL', 'NOTIFY_INTERVAL_SECONDS'] as const;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$|^\[[0-9A-Fa-f:.]+\]$/;
const ADDRESS = /^[^\s@<>(),;:"\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

class ConfigError extends Error {}

/** The mail settings, null when SMTP_HOST and its companions are all unset; throws one line on a bad value. */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv): MailConfig | null {
  const get = (k: (typeof VARS)[number]): string | undefined => (env[k] === '' ? undefined : env[k]);
  if (!get('SMTP_HOST')) {
    const stray = VARS.find((k) => get(k) !== undefined);
    if (stray) throw new ConfigError(`${stray} is set but SMTP_HOST is not: set SMTP_HOST, or unset the SMTP and mail settings`);
    return null;
  }
  const host = get('SMTP_HOST')!;
  if (!HOST.test(host)) throw new ConfigError(`SMTP_HOST must be a host name or address, got "${host.slice(0, 64)}"`);
  const tlsRaw = get('SMTP_TLS') ?? 'starttls';
  if (tlsRaw !== 'starttls' && tlsRaw !== 'implicit' && tlsRaw !== 'none') {
    throw new ConfigError('SMTP_TLS must be starttls (the default), implicit or none');
  }
  const portRaw = get('SMTP_PORT') ?? (tlsRaw === 'implicit' ? '465' : '587');
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) throw new ConfigError('SMTP_PORT must be a whole number from 1 to 65535');
  const user = get('SMTP_USER') ?? null;
  const password = get('SMTP_PASSWORD') ?? null;
  if ((user === null) !== (password === null)) throw new ConfigError('SMTP_USER and SMTP_PASSWORD must be set together');
  if (tlsRaw === 'none' && user !== null) throw new ConfigError('SMTP_TLS=none would send SMTP_PASSWORD in clear: use starttls or implicit');
  const from = get('MAIL_FROM');
  if (!from || !ADDRESS.test(from)) throw new ConfigError('MAIL_FROM must be set to a plain address, e.g. raising-concerns@force.example');
  const portalUrl = get('PORTAL_URL');
  let url: URL | null = null;
  try { url = portalUrl ? new URL(portalUrl) : null; } catch { url = null; }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ConfigError('PORTAL_URL must be the portal\'s https:// address');
  // Slots are whole minutes or more, so waking more often than every 30 s rarely matters; a
  // shorter interval is for tests and for deployments that want immediate notices sooner.
  const intervalRaw = get('NOTIFY_INTERVAL_SECONDS') ?? '30';
  const interval = Number(intervalRaw);
  if (!/^\d+$/.test(intervalRaw) || interval < 1 || interval > 3600) throw new ConfigError('NOTIFY_INTERVAL_SECONDS must be a whole number from 1 to 3600');
  return { host, port, tls: tlsRaw, user, password, from, portalUrl: url.origin, intervalMs: interval * 1000 };
}

/** The staff sign-in page, the one link a mail may carry. */
export const signInUrl = (portalUrl: string): string => `${portalUrl.replace(/\/+$/, '')}/triage/sign-in`;

/**
 * An SMTP transport. Timeouts add up to well under the sender's 2-minute claim lease, so a live
 * sender never loses its claim in the middle of a delivery (sender.ts).
 */
export function smtpTransport(c: MailConfig): MailTransport {
  return createTransport({
    host: c.host,
    port: c.port,
    secure: c.tls === 'implicit',
    requireTLS: c.tls === 'starttls',
    ignoreTLS: c.tls === 'none',
    ...(c.user !== null && c.password !== null ? { auth: { user: c.user, pass: c.password } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    tls: { minVersion: 'TLSv1.2' },
    // Plain text only; never fetch files or URLs into a message.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}
