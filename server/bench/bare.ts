// The baseline: a bare Fastify route in its own process, so the ratio compares
// the portal's route with the cheapest request this machine can answer.
import Fastify from 'fastify';

const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
await bare.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY http://127.0.0.1:${(bare.server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void bare.close().then(() => process.exit(0)));
