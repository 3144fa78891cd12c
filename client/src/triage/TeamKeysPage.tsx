// Team keys: who can read new reports sent to each of the officer's teams, the
// recent changes, and (for a lead) members waiting to be confirmed. A lead
// confirms a key here, in their own browser, after comparing its fingerprint
// with the one on the member's own screen; the certificate is signed with the
// lead's signing key, which never leaves this browser.
import { useEffect, useState } from 'preact/hooks';
import type { TeamKeys } from '../../../shared/src/api/keys.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { Checkbox } from '../components/Checkboxes.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import type { FieldError } from '../reporter/flow.ts';
import { formatDay } from '../reporter/words.ts';
import { ApiError, staffApi } from '../staff/api.ts';
import { loadStaffCrypto, type Crypto } from '../staff/crypto.ts';
import type { StaffSession } from '../staff/session.ts';
import { changeWords } from './keyWords.ts';

type Pending = TeamKeys['pending'][number];

function Fingerprint({ text }: { text: string }) {
  return <code class="app-fingerprint">{text}</code>;
}

export function TeamKeysPage({ session }: { session: StaffSession }) {
  usePage('Team keys', { back: '/triage' });
  const [c, setC] = useState<Crypto | null>(null);
  const [teams, setTeams] = useState<TeamKeys[] | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [compared, setCompared] = useState<Record<string, boolean>>({});

  const load = async () => {
    const loaded = await Promise.all(session.staff.teams.map((t) => staffApi.teamKeys(t.id)));
    setTeams(loaded);
    return loaded;
  };
  useEffect(() => {
    loadStaffCrypto().then(setC, () => undefined);
    load().catch(() => setErrors([{ field: 'team-keys', message: 'Your team’s keys could not be loaded. Reload the page to try again' }]));
  }, []);

  const keyPair = session.keyPair;
  const fp = (b64: string) => (c ? c.rc1.fingerprint(c.rc1.fromB64u(b64)) : '…');
  const signing = c && keyPair ? c.rc1.leadSigningKeyPair(keyPair.secretKey) : null;
  const signingB64 = signing && c ? c.rc1.toB64u(signing.publicKey) : null;
  const leadsAny = teams?.some((t) => t.you.lead) ?? false;

  // A lead's browser registers its signing key, so the organisation's key holders can certify it.
  useEffect(() => {
    if (leadsAny && signingB64 && teams?.some((t) => t.you.lead && t.you.certifiedSigningKey !== signingB64)) {
      staffApi.signingKey(signingB64).catch(() => undefined);
    }
  }, [leadsAny, signingB64]);

  const certify = async (team: TeamKeys, m: Pending) => {
    const field = `compare-${team.team.id}-${m.staffId}`;
    if (busy || !c || !signing) return;
    if (!compared[field]) {
      setErrors([{ field, message: `Confirm that you have compared ${m.displayName}’s fingerprint with the one on their screen` }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const req = c.rc1.certifyMemberKey({
        team: team.team.id, memberKey: c.rc1.fromB64u(m.publicKey), seesIdentity: m.seesIdentity, issued: todayInLondon(),
        replaces: m.replaces, head: team.head, lead: signing,
      });
      await staffApi.certify({ staffId: m.staffId, certificate: req.certificate, headSig: req.headSig });
      setDone(`${m.displayName} can now read new reports sent to ${team.team.label}.`);
      await load();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      const message = code === 'key_changed'
        ? 'The key or the team’s key log changed while you were looking. Compare the fingerprint again, then confirm'
        : code === 'lead_not_certified'
          ? 'Your signing key has not been certified by the organisation yet, so you cannot confirm keys'
          : 'The key could not be confirmed. Try again';
      setErrors([{ field, message }]);
      await load().catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ErrorSummary errors={errors} />
      {done && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="keys-done-title">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="keys-done-title">Success</h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{done}</p>
          </div>
        </div>
      )}
      <h1 class="govuk-heading-l">Team keys</h1>
      <p class="govuk-body">
        A report can only be read by people whose key a lead of the team has confirmed. Every change is shown to everyone in the team.
      </p>
      {keyPair && (
        <InsetText>
          Your key fingerprint is <Fingerprint text={fp(c ? c.rc1.toB64u(keyPair.publicKey) : '')} />. Read it to your team lead when they confirm your key.
        </InsetText>
      )}
      {teams === null && errors.length === 0 && <p class="govuk-body">Loading your team’s keys…</p>}
      {(teams ?? []).map((t) => (
        <section key={t.team.id} aria-labelledby={`team-${t.team.id}`}>
          <h2 class="govuk-heading-m" id={`team-${t.team.id}`}>{t.team.label}</h2>
          {t.you.lead && t.you.certifiedSigningKey !== signingB64 && signingB64 && (
            <InsetText>
              Your signing key has not been certified by the organisation for this team, so you cannot confirm keys yet. Give its fingerprint,{' '}
              <Fingerprint text={fp(signingB64)} />, to the organisation’s key holders.
            </InsetText>
          )}
          {t.you.lead && t.pending.length > 0 && (
            <>
              <h3 class="govuk-heading-s">Waiting for you to confirm</h3>
              {t.pending.map((m) => {
                const field = `compare-${t.team.id}-${m.staffId}`;
                const err = errors.find((e) => e.field === field)?.message;
                return (
                  <form key={m.staffId} noValidate class="app-key-request" onSubmit={(e) => { e.preventDefault(); void certify(t, m); }}>
                    <p class="govuk-body">
                      <strong>{m.displayName}</strong> {m.seesIdentity ? '(may see who reported)' : '(may not see who reported)'}
                      <br />
                      Fingerprint: <Fingerprint text={fp(m.publicKey)} />
                    </p>
                    <Checkbox
                      id={field}
                      label={`I have compared this fingerprint with the one on ${m.displayName}’s own screen, in person or on a call, and they match`}
                      checked={compared[field] ?? false}
                      onChange={(v) => setCompared({ ...compared, [field]: v })}
                      error={err}
                    />
                    <Button variant="secondary">Confirm {m.displayName}’s key</Button>
                  </form>
                );
              })}
            </>
          )}
          {!t.you.lead && t.pending.length > 0 && (
            <p class="govuk-body">{t.pending.length} {t.pending.length === 1 ? 'person is' : 'people are'} waiting for a lead to confirm their key.</p>
          )}
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">Who can read new reports</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Name</th>
                <th scope="col" class="govuk-table__header">Key fingerprint</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {t.recipients.map((r) => (
                <tr class="govuk-table__row" key={r.staffId}>
                  <td class="govuk-table__cell">{r.displayName}</td>
                  <td class="govuk-table__cell"><Fingerprint text={fp(r.publicKey)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 class="govuk-heading-s">Recent changes</h3>
          {t.changes.length === 0 ? <p class="govuk-body">No changes yet.</p> : (
            <ul class="govuk-list govuk-list--bullet">
              {t.changes.map((ch) => <li key={ch.seq}>{formatDay(ch.on)}: {changeWords(ch)}.</li>)}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
