// This process's reference-data generation: bumped by every write through
// intake/repository.ts so the cache (reference-cache.ts) drops its copies at
// once. Its own module so neither of those two imports the other.
let generation = 0;

export const referenceGeneration = (): number => generation;

export function referenceChanged(): void {
  generation++;
}
