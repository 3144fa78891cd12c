// Refer to another team: every member of that team with a key gets wraps made
// here; the server then marks the case referred.
import { useEffect, useState } from 'preact/hooks';
import { Button, WarningText } from '../../components/Simple.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { staffApi } from '../../staff/api.ts';
import { Select } from '../../staff/Fields.tsx';
import type { Labelled } from '../../staff/types.ts';
import { navigate } from '../../router.ts';
import { inboxNotice } from '../notice.ts';
import { certifiedMembers, wrapWith } from '../opened.ts';
import { planWraps, recusedOf } from '../wraps.ts';
import { ActionForm, PlainError, useAction, type ActionProps } from './common.tsx';

export function ReferForm({ opened, session, onDone, onErrors }: ActionProps) {
  const d = opened.detail;
  const [teams, setTeams] = useState<Labelled[] | null>(null);
  const [teamId, setTeamId] = useState('');
  const a = useAction('refer-to', onErrors);
  useEffect(() => {
    staffApi.teams().then(setTeams, () => setTeams([]));
  }, []);
  if (d.status === 'closed') return null;

  const validate = (): FieldError[] => (teamId ? [] : [{ field: 'refer-to', message: 'Select the team to refer the case to' }]);
  const submit = () =>
    a.run(validate, 'Referring the case…', async (c) => {
      const team = teams?.find((t) => t.id === teamId);
      // Someone recused from this case is never given its keys, in whichever team they sit.
      const recused = new Set(recusedOf(d));
      const members = (await certifiedMembers(c, teamId)).filter((m) => !recused.has(m.id));
      if (!team) throw new Error('unknown team');
      if (members.length === 0) throw new PlainError('Nobody in that team can read cases yet. Choose another team');
      const keys = { caseKey: opened.caseKey, identityKey: opened.identityKey, internalKey: opened.internalKey };
      await staffApi.refer(d.caseRef, teamId, planWraps(members, keys, wrapWith(c), recused));
      setTeamId('');
      const done = `Case ${d.caseRef} referred to ${team.label}`;
      // Still a member of the receiving team: the case stays open here. Otherwise it cannot be opened
      // any more, so the confirmation goes with the officer back to the inbox.
      if (session.staff.teams.some((t) => t.id === teamId)) return onDone(`${done}.`);
      inboxNotice.set(`${done}. You no longer have access to it.`);
      navigate('/triage');
    });

  const options = (teams ?? []).filter((t) => t.id !== d.team.id).map((t) => ({ value: t.id, label: t.label }));
  return (
    <ActionForm id="refer-form" title="Refer to another team" busy={a.busy} onSubmit={submit}>
      <WarningText>Everyone in the other team will be able to read this case.</WarningText>
      <Select id="refer-to" label="Team" value={teamId} onChange={setTeamId} options={[{ value: '', label: 'Choose a team' }, ...options]} error={a.errorFor('refer-to')} />
      <Button variant="secondary">Refer</Button>
    </ActionForm>
  );
}
