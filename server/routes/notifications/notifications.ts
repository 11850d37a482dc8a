// A staff member's own notifications: a page at a time with the unread count, and marking
// them read. They name a case by its reference and what happened, never its content.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sessionOf } from '../../plugins/auth.ts';
import { notificationLabel } from '../../services/notification-email.service.ts';
import { listMyNotifications, markAllMyNotificationsRead, markMyNotificationRead } from '../../services/notification.service.ts';

const Label = Type.Object({ vi: Type.String(), en: Type.String() });
const NotificationItem = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  label: Label,
  caseRef: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Ok = Type.Object({ ok: Type.Literal(true) });

const notificationRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;

  r.get('/api/notifications', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['notifications'], summary: 'Your notifications, newest first, with the unread count',
      querystring: Type.Object({
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]?$|^100$', description: 'page size, 1-100' })),
        unread: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
      }),
      response: { 200: Type.Object({ items: Type.Array(NotificationItem), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const page = await listMyNotifications(db, sessionOf(request).staffId, {
      cursor: request.query.cursor, limit: Number(request.query.limit ?? 25), unreadOnly: request.query.unread === 'true',
    });
    return {
      unread: page.unread,
      nextCursor: page.nextCursor,
      items: page.items.map((n) => ({
        id: n.id, kind: n.kind, label: notificationLabel(n.kind), caseRef: n.caseRef,
        createdAt: n.createdAt.toISOString(), readAt: n.readAt ? n.readAt.toISOString() : null,
      })),
    };
  });

  r.post('/api/notifications/:id/read', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['notifications'], summary: 'Marks one of your notifications read',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Ok },
    },
  }, async (request) => {
    await markMyNotificationRead(db, sessionOf(request).staffId, request.params.id);
    return { ok: true as const };
  });

  r.post('/api/notifications/read-all', {
    preHandler: app.requireStaff(),
    schema: { tags: ['notifications'], summary: 'Marks all your notifications read', response: { 200: Type.Object({ ok: Type.Literal(true), marked: Type.Integer() }) } },
  }, async (request) => ({ ok: true as const, marked: await markAllMyNotificationsRead(db, sessionOf(request).staffId) }));
};

export default notificationRoutes;
