// "Do you want to tell us who you are?": anonymous, or named with a name, role and contact.
// One set of words for every way into a report (the journey's own page, advice turned into a
// report, a private record turned into one); validateAboutYou (flow.ts) checks the answers.
import type { Size } from '../components/Field.tsx';
import { Input } from '../components/Input.tsx';
import { Radios } from '../components/Radios.tsx';
import { WarningText } from '../components/Simple.tsx';
import type { AboutYou } from './flow.ts';

export const ABOUT_YOU_QUESTION = 'Do you want to tell us who you are?';

interface Props {
  answers: AboutYou;
  onChange: (next: AboutYou) => void;
  err: (field: string) => string | undefined;
  /** The journey's page asks only this, as its heading; a longer form asks it as one question among others. */
  isPageHeading?: boolean;
  legendSize?: Size;
}

export function AboutYouQuestion({ answers: a, onChange, err, isPageHeading, legendSize }: Props) {
  const set = (patch: Partial<AboutYou>) => onChange({ ...a, ...patch });
  return (
    <Radios
      name="mode"
      legend={ABOUT_YOU_QUESTION}
      isPageHeading={isPageHeading}
      legendSize={legendSize}
      hint="You can stay anonymous. You can still read and answer messages from the team using your case token."
      error={err('mode')}
      value={a.mode}
      onChange={(v) => set({ mode: v === 'named' ? 'named' : 'anonymous' })}
      items={[
        { value: 'anonymous', label: 'No, I want to stay anonymous' },
        {
          value: 'named',
          label: 'Yes, I will give my name',
          conditional: (
            <>
              <WarningText>
                The team that reads your report will know who you are. Your name is locked separately and shown only to the people
                handling your case.
              </WarningText>
              <Input id="name" label="Your name" error={err('name')} value={a.name} onInput={(v) => set({ name: v })} autocomplete="off" />
              <Input
                id="role"
                label="Your role or rank (optional)"
                error={err('role')}
                value={a.role}
                onInput={(v) => set({ role: v })}
                autocomplete="off"
              />
              <Input
                id="contact"
                label="How can the team contact you? (optional)"
                hint="For example, a personal email address or phone number. Think about whether anyone else can see messages sent there."
                error={err('contact')}
                value={a.contact}
                onInput={(v) => set({ contact: v })}
                autocomplete="off"
              />
            </>
          ),
        },
      ]}
    />
  );
}
