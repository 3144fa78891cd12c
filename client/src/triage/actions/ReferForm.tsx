// Refer to another team: every member of that team with a key gets wraps made
// here. The referral then waits: the case moves only once a browser of the
// other team has opened it with those wraps, so until then it stays here, with
// full access, and a status change waits too.
import { useEffect, useState } from 'preact/hooks';
import { Button, WarningText } from '../../components/Simple.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { formatDay } from '../../reporter/words.ts';
import { staffApi } from '../../staff/api.ts';
import { Select } from '../../staff/Fields.tsx';
import type { Labelled } from '../../staff/types.ts';
import { certifiedMembers, wrapWith } from '../opened.ts';
import { planWraps, recusedOf } from '../wraps.ts';
import { ActionForm, PlainError, useAction, type ActionProps } from './common.tsx';

export function ReferForm({ opened, onDone, onErrors }: ActionProps) {
  const d = opened.detail;
  const [teams, setTeams] = useState<Labelled[] | null>(null);
  const [teamId, setTeamId] = useState('');
  const a = useAction('refer-to', onErrors);
  useEffect(() => {
    staffApi.teams().then(setTeams, () => setTeams([]));
  }, []);
  if (d.status === 'closed') return null;
  if (d.referral) return <PendingReferral to={d.referral.to.label} on={d.referral.on} />;

  const validate = (): FieldError[] => (teamId ? [] : [{ field: 'refer-to', message: 'Select the team to refer the case to' }]);
  const submit = () =>
    a.run(validate, 'Referring the case…', async (c) => {
      const team = teams?.find((t) => t.id === teamId);
      // Someone recused from this case is never given its keys, in whichever team they sit.
      const recused = new Set(recusedOf(d));
      // Only members whose certificate chain verifies against the pinned organisation key get wraps.
      const members = (await certifiedMembers(c, teamId)).filter((m) => !recused.has(m.id));
      if (!team) throw new Error('unknown team');
      if (members.length === 0) throw new PlainError('Nobody in that team can read cases yet. Choose another team');
      const keys = { caseKey: opened.caseKey, identityKey: opened.identityKey, internalKey: opened.internalKey };
      await staffApi.refer(d.caseRef, teamId, planWraps(members, keys, wrapWith(c), recused));
      setTeamId('');
      await onDone(`Case ${d.caseRef} is waiting for ${team.label} to confirm the referral. You keep access to it until they do.`);
    });

  const options = (teams ?? []).filter((t) => t.id !== d.team.id).map((t) => ({ value: t.id, label: t.label }));
  return (
    <ActionForm id="refer-form" title="Refer to another team" busy={a.busy} onSubmit={submit}>
      <WarningText>Everyone in the other team will be able to read this case.</WarningText>
      <p class="govuk-body">The case stays with your team until someone in the other team opens it and confirms the referral.</p>
      <Select id="refer-to" label="Team" value={teamId} onChange={setTeamId} options={[{ value: '', label: 'Choose a team' }, ...options]} error={a.errorFor('refer-to')} />
      <Button variant="secondary">Refer</Button>
    </ActionForm>
  );
}

function PendingReferral({ to, on }: { to: string; on: string }) {
  return (
    <section class="govuk-!-margin-bottom-8" aria-labelledby="referral-pending-title">
      <h2 class="govuk-heading-m" id="referral-pending-title">
        Referral waiting
      </h2>
      <p class="govuk-body" data-testid="referral-pending">
        Referred to {to} on {formatDay(on)}. The case stays with your team until someone in {to} opens it and confirms the referral. Until then
        its status cannot be changed.
      </p>
    </section>
  );
}
