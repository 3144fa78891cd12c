// Reference data (teams, commands, units, categories, central team) changes a
// few times a year but was loaded with five queries for every submission.
// It is cached per database handle. Every write through intake/repository.ts
// stores a new random `reference_version` in settings and drops this
// process's copies at once; other instances re-read that one settings row at
// most once a second (REFERENCE_RECHECK_MS) and reload when it changed, so a
// structure change reaches every instance within a second. Routing is checked
// again by the live recipient lookup, so a second's staleness cannot wrap a
// report to the wrong people: at worst it is refused with recipients_changed.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { RoutingData } from '../../../shared/src/domain/routing.ts';
import { loadReference, referenceVersion, routingData, type ReferenceData } from './repository.ts';
import { referenceGeneration } from './reference-version.ts';

export const REFERENCE_RECHECK_MS = 1000;

export interface CachedReference {
  ref: ReferenceData;
  routing: RoutingData;
}

interface Entry extends CachedReference {
  version: string | null;
  checkedAt: number;
  generation: number;
}

const entries = new WeakMap<Kysely<Database>, Entry>();

export async function cachedReference(db: Kysely<Database>, now: number = Date.now()): Promise<CachedReference> {
  const hit = entries.get(db);
  const generation = referenceGeneration();
  if (hit && hit.generation === generation && now - hit.checkedAt < REFERENCE_RECHECK_MS) return hit;
  const startGeneration = generation;
  const version = await referenceVersion(db);
  if (hit && hit.generation === startGeneration && hit.version === version) {
    hit.checkedAt = now;
    return hit;
  }
  const ref = await loadReference(db);
  const entry: Entry = { ref, routing: routingData(ref), version, checkedAt: now, generation: startGeneration };
  // A write during the load leaves the generation moved on, so this copy is not trusted next time.
  entries.set(db, entry);
  return entry;
}
