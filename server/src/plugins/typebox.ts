// A type provider for the shared schemas. @fastify/type-provider-typebox 6
// infers with the newer `typebox` package, which mis-reads the literal unions
// of @sinclair/typebox 0.34 (shared/) as `never`; Static from the same library
// that built the schemas is exact.
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyPluginOptions, FastifyRequest, FastifyTypeProvider, RawServerDefault } from 'fastify';

export interface SharedTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

export type TypedPlugin<O extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<O, RawServerDefault, SharedTypeProvider>;

/**
 * preValidation for a POST whose body is optional but, when sent, must be `{}` (schema EmptyBody):
 * no body at all reads as `{}`, anything else goes to the schema and is refused (400).
 */
export const absentBodyIsEmpty = async (req: FastifyRequest): Promise<void> => {
  if (req.body === undefined || req.body === null) req.body = {};
};
