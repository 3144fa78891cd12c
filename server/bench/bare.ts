// The baseline: a bare Fastify route in its own process, so the ratio compares
// the portal's route with the cheapest request this machine can answer.
// /bare/bytes/N answers N bytes of JSON (prepared once per N): the padded status
// check measured against it shows what the padding itself costs (docs/PROTOCOL.md
// requires 64 KiB steps) apart from the portal's own work.
import Fastify from 'fastify';

const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
const bodies = new Map<number, Buffer>();
bare.get<{ Params: { n: string } }>('/bare/bytes/:n', async (req, reply) => {
  const n = Math.min(Math.max(Number(req.params.n) | 0, 2), 1 << 20);
  let body = bodies.get(n);
  if (!body) bodies.set(n, (body = Buffer.concat([Buffer.from('"'), Buffer.alloc(n - 2, 0x20), Buffer.from('"')])));
  return reply.type('application/json; charset=utf-8').send(body);
});
await bare.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY http://127.0.0.1:${(bare.server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void bare.close().then(() => process.exit(0)));
