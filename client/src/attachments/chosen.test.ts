// The size rule by kind: files read whole to be cleaned stop at 25 MiB, audio
// and video (sealed from disk a chunk at a time) go to 100 MiB; each place
// files are chosen keeps its own list, and Exit this page empties them all.
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import { forgetEverything } from '../memory.ts';
import { createChoice, LIMIT_WORDS, maxFor } from './chosen.ts';

const MiB = 1024 * 1024;
/** A file of `size` zero bytes: what is checked here is its size and kind, not its contents. */
const file = (name: string, type: string, size: number) => new File([new Uint8Array(size)], name, { type });

describe('chosen files', () => {
  it('holds cleaned kinds to 25 MiB and audio and video to 100 MiB, and says so before choosing', async () => {
    expect([maxFor('jpeg'), maxFor('pdf'), maxFor('office'), maxFor('text'), maxFor('heic')]).toEqual(Array(5).fill(ATTACHMENT_LIMITS.cleanedFileMax));
    expect([maxFor('audio'), maxFor('video')]).toEqual([100 * MiB, 100 * MiB]);
    expect(LIMIT_WORDS).toContain('must each be smaller than 25 MB; audio and video files smaller than 100 MB');

    const choice = createChoice();
    const problems = await choice.add([
      file('clip.mp4', 'video/mp4', 30 * MiB),
      file('notes.txt', 'text/plain', 25 * MiB + 1),
      file('call.mp3', 'audio/mpeg', 100 * MiB + 1),
    ]);
    expect(problems.map((p) => p.message)).toEqual(['notes.txt must be smaller than 25 MB', 'call.mp3 must be smaller than 100 MB']);
    const [clip] = choice.store.get();
    // Accepted, not read: a video is sealed straight from the File.
    expect([choice.store.get().length, clip?.file.name, clip?.cleaned]).toEqual([1, 'clip.mp4', null]);
    choice.dispose();
  });

  it('keeps each list apart, and Exit this page empties every list still in use', async () => {
    const a = createChoice();
    const b = createChoice();
    await a.add([file('a.mp3', 'audio/mpeg', 10)]);
    expect([a.store.get().length, b.store.get().length]).toEqual([1, 0]);
    await b.add([file('b.mp3', 'audio/mpeg', 10)]);
    b.dispose(); // a page that has gone no longer listens
    forgetEverything();
    expect([a.store.get().length, b.store.get().length]).toEqual([0, 1]);
    a.dispose();
  });
});
