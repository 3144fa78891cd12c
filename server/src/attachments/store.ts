// Where sealed chunks live. The default keeps them in the database
// (attachment_chunks); anything with these four operations, such as an object
// store keyed "<uploadId>/<index>", could take its place. The store only ever
// sees sealed bytes. It need not be transactional: an upload is usable only
// once its row says complete, which complete() sets after reading back every
// chunk, and deletion removes the chunks before the row.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { chunkIndices, deleteChunks, insertChunk, selectChunk } from './repository.ts';

export interface ChunkStore {
  /** Stores chunk `index` once; 'stored' when new, 'same' when these bytes were already there, 'different' otherwise. */
  put(uploadId: string, index: number, data: Uint8Array): Promise<'stored' | 'same' | 'different'>;
  get(uploadId: string, index: number): Promise<Uint8Array | undefined>;
  /** Indices stored, ascending. */
  indices(uploadId: string): Promise<number[]>;
  remove(uploadIds: string[]): Promise<void>;
}

export function databaseChunkStore(db: Kysely<Database>): ChunkStore {
  return {
    async put(uploadId, index, data) {
      if (await insertChunk(db, uploadId, index, data)) return 'stored';
      const existing = await selectChunk(db, uploadId, index);
      return existing && Buffer.from(existing).equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) ? 'same' : 'different';
    },
    get: (uploadId, index) => selectChunk(db, uploadId, index),
    indices: (uploadId) => chunkIndices(db, uploadId),
    remove: (uploadIds) => deleteChunks(db, uploadIds),
  };
}
