// Assign to a colleague in the case's team: this browser wraps the case's keys
// to their public key (identity only if they may see it).
import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/Simple.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { staffApi } from '../../staff/api.ts';
import { Select } from '../../staff/Fields.tsx';
import type { Member } from '../../staff/types.ts';
import { chainCheck, wrapWith } from '../opened.ts';
import { checkMembers, planWraps, recusedOf } from '../wraps.ts';
import { ActionForm, useAction, type ActionProps } from './common.tsx';

export function AssignForm({ opened, session, onDone, onErrors }: ActionProps) {
  const d = opened.detail;
  const [members, setMembers] = useState<Member[] | null>(null);
  const [staffId, setStaffId] = useState('');
  const a = useAction('assign-to', onErrors);
  useEffect(() => {
    staffApi.members(d.team.id).then(setMembers, () => setMembers([]));
  }, [d.team.id]);
  if (d.status === 'closed') return null;
  // A colleague recused from this case can never be handed it (nor its keys).
  const recused = new Set(recusedOf(d));
  const eligible = (members ?? []).filter((m) => !recused.has(m.id));

  const validate = (): FieldError[] => (staffId ? [] : [{ field: 'assign-to', message: 'Select who to assign the case to' }]);
  const submit = () =>
    a.run(validate, 'Assigning the case…', async (c) => {
      const member = eligible.find((m) => m.id === staffId);
      if (!member) throw new Error('unknown member');
      // Only to a key a lead of the team certified, up to the organisation key this build pins.
      checkMembers([member], d.team.id, chainCheck(c));
      const keys = { caseKey: opened.caseKey, identityKey: opened.identityKey, internalKey: opened.internalKey };
      await staffApi.assign(d.caseRef, member.id, planWraps([member], keys, wrapWith(c), recused));
      setStaffId('');
      await onDone(`The case is now assigned to ${member.displayName}.`);
    });

  const options = eligible.map((m) => ({ value: m.id, label: m.id === session.staff.id ? `${m.displayName} (you)` : m.displayName }));
  return (
    <ActionForm id="assign-form" title="Assign the case" busy={a.busy} onSubmit={submit}>
      {members === null ? (
        <p class="govuk-body">Loading your team…</p>
      ) : (
        <>
          <Select id="assign-to" label={`Colleague in ${d.team.label}`} value={staffId} onChange={setStaffId} options={[{ value: '', label: 'Choose a colleague' }, ...options]} error={a.errorFor('assign-to')} />
          <Button variant="secondary">Assign</Button>
        </>
      )}
    </ActionForm>
  );
}
