// The stores @fastify/rate-limit ships (CommonJS, no declarations of their own);
// plugins/ratelimit.ts uses them directly for the shared buckets.
declare module '@fastify/rate-limit/store/*.js' {
  type Callback = (err: Error | null, res: { current: number; ttl: number }) => void;
  class Store {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, ...rest: unknown[]);
    incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  }
  export default Store;
}
