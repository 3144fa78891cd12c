// Wiring for app.ts: the two route plugins and, when a transport is given,
// the sender, started when the app is ready and stopped (its pass finished,
// claims settled) when the app closes.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { NotificationSender, type SenderOptions } from './sender.ts';

export { notificationAdminRoutes } from './admin-routes.ts';
export { notificationRoutes } from './routes.ts';
export { outboxBacklog } from './service.ts';

export type NotificationOptions = Omit<SenderOptions, 'now'>;

export function startNotificationSender(app: FastifyInstance, ctx: AppContext, opts: NotificationOptions): NotificationSender {
  const sender = new NotificationSender(ctx.db, { now: ctx.now, log: (line) => app.log.info(line), ...opts });
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', async () => {
    await sender.stop();
    opts.transport.close?.();
  });
  return sender;
}
