// A real SMTP server for the notification tests (smtp-server, in-process on
// 127.0.0.1): what the sender delivers is read back off the wire. It can be
// stopped and started again on the same port, to test mail waiting while the
// server is down.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { smtpTransport } from '../src/notifications/config.ts';
import type { MailTransport } from '../src/notifications/sender.ts';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  body: string;
  messageId: string;
}

/** Headers and body of a plain 7-bit message (the sender only writes those); folded header lines joined. */
function parse(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(split + 4).replace(/\r\n/g, '\n') };
}

export class TestSmtp {
  readonly received: Received[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, body } = parse(raw);
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw, body,
            subject: headers.get('subject') ?? '',
            messageId: headers.get('message-id') ?? '',
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** A transport built the way production builds one (config.ts), pointed at this server. */
  transport(): MailTransport {
    return smtpTransport({ host: '127.0.0.1', port: this.port, tls: 'none', user: null, password: null, from: 'rc@force.example', portalUrl: 'https://portal.example', intervalMs: 30_000 });
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }
}
