// Prints the current six-digit code for a DEMO ONLY staff account, so a
// newcomer can try the triage pages without setting up an authenticator app.
// `npm run demo:totp -- nw-bcu-psu-1`
import { Secret, TOTP } from 'otpauth';
import { demoTotpSecret } from '../demo.ts';
import { ready } from '../../shared/src/crypto/index.ts';

const username = process.argv[2];
if (!username) {
  console.error('usage: npm run demo:totp -- <demo username>');
  process.exit(2);
}
await ready();
const totp = new TOTP({ secret: Secret.fromBase32(demoTotpSecret(username)), algorithm: 'SHA1', digits: 6, period: 30 });
const remaining = 30 - (Math.floor(Date.now() / 1000) % 30);
console.log(`${totp.generate()}  (valid for ${remaining} more seconds; DEMO ONLY account ${username})`);
