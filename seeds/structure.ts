// The force's structure as data: commands with their PSU teams and units,
// the central DPS teams, and the categories a reporter chooses from.
export interface CommandSeed {
  id: string;
  label: string;
  psuTeam: { id: string; label: string };
  units: { id: string; label: string }[];
}

const psu = (id: string, label: string) => ({ id: `${id}-psu`, label: `${label} Professional Standards Unit` });

export const COMMANDS: CommandSeed[] = [
  {
    id: 'nw-bcu', label: 'North West BCU', psuTeam: psu('nw-bcu', 'North West BCU'),
    units: [
      { id: 'nw-response-camden', label: 'Response team, Camden' },
      { id: 'nw-response-islington', label: 'Response team, Islington' },
      { id: 'nw-neighbourhoods-camden', label: 'Safer Neighbourhoods, Camden' },
      { id: 'nw-cid', label: 'CID, North West' },
    ],
  },
  {
    id: 'cs-bcu', label: 'Central South BCU', psuTeam: psu('cs-bcu', 'Central South BCU'),
    units: [
      { id: 'cs-response-lambeth', label: 'Response team, Lambeth' },
      { id: 'cs-response-southwark', label: 'Response team, Southwark' },
      { id: 'cs-custody-brixton', label: 'Custody, Brixton' },
      { id: 'cs-safeguarding', label: 'Safeguarding, Central South' },
    ],
  },
  {
    id: 'ea-bcu', label: 'East Area BCU', psuTeam: psu('ea-bcu', 'East Area BCU'),
    units: [
      { id: 'ea-response-havering', label: 'Response team, Havering' },
      { id: 'ea-response-barking', label: 'Response team, Barking and Dagenham' },
      { id: 'ea-neighbourhoods-redbridge', label: 'Safer Neighbourhoods, Redbridge' },
    ],
  },
  {
    id: 'specialist-ops', label: 'Specialist Operations', psuTeam: psu('specialist-ops', 'Specialist Operations'),
    units: [
      { id: 'so-protection', label: 'Royalty and Specialist Protection' },
      { id: 'so-counter-terrorism', label: 'Counter Terrorism Command' },
    ],
  },
  {
    id: 'met-ops', label: 'Met Operations', psuTeam: psu('met-ops', 'Met Operations'),
    units: [
      { id: 'mo-taskforce', label: 'Taskforce' },
      { id: 'mo-roads', label: 'Roads and Transport Policing' },
      { id: 'mo-dogs', label: 'Dog Support Unit' },
    ],
  },
  {
    id: 'frontline-hq', label: 'Frontline Policing HQ', psuTeam: psu('frontline-hq', 'Frontline Policing HQ'),
    units: [
      { id: 'fp-training', label: 'Training, Hendon' },
      { id: 'fp-control-room', label: 'Command and control room' },
    ],
  },
];

export const CENTRAL_TEAMS = [
  { id: 'dps-smda', label: 'DPS Sexual Misconduct and Domestic Abuse team' },
  { id: 'dps-discrimination', label: 'DPS Discrimination team' },
  { id: 'dps-counter-corruption', label: 'DPS Counter-Corruption Command' },
  { id: 'dps-central', label: 'DPS Central Assessment Unit' },
];

/** Takes reports that avoid the reporter's own unit or name no unit. */
export const CENTRAL_DEFAULT_TEAM = 'dps-central';

export interface CategorySeed {
  id: string;
  label: string;
  hint: string;
  /** null = the PSU of the unit's command. */
  team: string | null;
}

export const CATEGORIES: CategorySeed[] = [
  { id: 'sexual-harassment', label: 'Sexual harassment', hint: 'Unwanted comments, jokes, messages, looks or touching of a sexual nature.', team: null },
  { id: 'sexual-misconduct', label: 'Sexual misconduct', hint: 'Sexual behaviour by a colleague that is more serious than harassment, including assault.', team: 'dps-smda' },
  { id: 'domestic-abuse', label: 'Domestic abuse by a colleague', hint: 'A colleague abusing a partner, ex-partner or family member, at home or anywhere else.', team: 'dps-smda' },
  { id: 'bullying', label: 'Bullying', hint: 'Repeated behaviour that intimidates, undermines or humiliates someone at work.', team: null },
  { id: 'discrimination', label: 'Discrimination, racism, misogyny or homophobia', hint: 'Treating someone worse because of who they are, or remarks and jokes about it.', team: 'dps-discrimination' },
  { id: 'social-media', label: 'Misuse of social media or messaging groups', hint: 'Offensive posts, or messages shared in group chats, including private ones.', team: null },
  { id: 'abuse-of-position', label: 'Abuse of position, including for a sexual purpose', hint: 'Using police powers or status to get something, such as a relationship with a victim or witness.', team: 'dps-counter-corruption' },
  { id: 'corruption', label: 'Corruption', hint: 'Misusing police systems or information, taking bribes, or links with criminals.', team: 'dps-counter-corruption' },
  { id: 'victimisation', label: 'Victimisation for raising a concern', hint: 'Being treated badly because you or someone else spoke up.', team: null },
  { id: 'other', label: 'Something else', hint: 'Any other behaviour at work that worries you. You do not need to be sure it is serious enough.', team: null },
];
