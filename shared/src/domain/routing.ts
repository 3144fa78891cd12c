// Which team a report goes to, written once for the server (which routes) and
// the browser (which tells the reporter where it will go). Pure, so the rules
// are unit-tested apart from the database: a category's own central team
// wins; reporters who avoid their own unit (or name none) go to the central
// default team; otherwise the PSU of the command the unit belongs to.
export interface RoutingData {
  categories: ReadonlyMap<string, { team: string | null }>;
  units: ReadonlyMap<string, { command: string }>;
  commandPsu: ReadonlyMap<string, string>;
  centralTeam: string;
}

export interface RouteRequest {
  category: string;
  unit?: string | undefined;
  avoidOwnUnit?: boolean | undefined;
}

export type RouteResult = { ok: true; team: string } | { ok: false; code: 'unknown_category' | 'unknown_unit' | 'unknown_command' };

export function routeReport(req: RouteRequest, data: RoutingData): RouteResult {
  const category = data.categories.get(req.category);
  if (!category) return { ok: false, code: 'unknown_category' };
  let command: string | undefined;
  if (req.unit !== undefined) {
    const unit = data.units.get(req.unit);
    if (!unit) return { ok: false, code: 'unknown_unit' };
    command = unit.command;
  }
  if (category.team !== null) return { ok: true, team: category.team };
  if (req.avoidOwnUnit === true || command === undefined) return { ok: true, team: data.centralTeam };
  const psu = data.commandPsu.get(command);
  return psu === undefined ? { ok: true, team: data.centralTeam } : { ok: true, team: psu };
}

/**
 * An advice request goes to the PSU of the command the reporter names, or to the central team
 * when they name none (their choice: someone outside their own command).
 */
export function routeAdvice(command: string | undefined, data: Pick<RoutingData, 'commandPsu' | 'centralTeam'>): RouteResult {
  if (command === undefined) return { ok: true, team: data.centralTeam };
  const psu = data.commandPsu.get(command);
  return psu === undefined ? { ok: false, code: 'unknown_command' } : { ok: true, team: psu };
}

/** What the reporter's browser is told about routing (IntakeInfo), as RoutingData. */
export interface IntakeRouting {
  categories: readonly { id: string; team: string | null }[];
  units: readonly { id: string; command: string }[];
  routing: { centralTeam: string; commandPsu: Readonly<Record<string, string>> };
}

export function routingDataOf(info: IntakeRouting): RoutingData {
  return {
    categories: new Map(info.categories.map((c) => [c.id, { team: c.team }])),
    units: new Map(info.units.map((u) => [u.id, { command: u.command }])),
    commandPsu: new Map(Object.entries(info.routing.commandPsu)),
    centralTeam: info.routing.centralTeam,
  };
}
