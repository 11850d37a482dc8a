// Administrators: routing rules and the holiday calendar. Reference data only, no case data.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { BODY_KINDS, CATEGORIES, LEVELS } from '../../domain/vocabulary.ts';
import { listCalendar, putHoliday, removeHoliday } from '../../services/holiday-admin.service.ts';
import { listRules, replaceRules } from '../../services/routing-admin.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const RuleFields = {
  code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,59}$' }),
  priority: Type.Integer({ minimum: 0, maximum: 100_000 }),
  enabled: Type.Boolean(),
  matchCategory: Nullable(Type.Enum(CATEGORIES)),
  matchLevel: Nullable(Type.Enum(LEVELS)),
  matchJurisdictionCode: Nullable(Text(40)),
  targetBodyKind: Type.Enum(BODY_KINDS),
  targetLevel: Type.Union([Type.Literal('same'), Type.Literal('parent'), Type.Enum(LEVELS)]),
  reasonVi: Text(300),
  reasonEn: Text(300),
};
const RuleInput = Type.Object(RuleFields, { additionalProperties: false });
const RuleItem = Type.Object({ ...RuleFields, updatedAt: Type.String({ format: 'date-time' }), updatedBy: Nullable(Type.String()) });
const Rules = Type.Object({ items: Type.Array(RuleItem) });

const HolidayKind = Type.Union([Type.Literal('solar'), Type.Literal('lunar'), Type.Literal('compensatory'), Type.Literal('makeup')]);
const HolidayItem = Type.Object({ day: Type.String(), nameVi: Type.String(), nameEn: Type.String(), kind: HolidayKind, isWorkingDay: Type.Boolean() });
const DayParams = Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });

const adminWorkflowRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;
  const mayRoute = app.authorize('routing.manage');
  const mayCalendar = app.authorize('holiday.manage');
  const toItem = (rule: Awaited<ReturnType<typeof listRules>>[number]) => ({ ...rule, updatedAt: rule.updatedAt.toISOString() });

  r.get('/api/admin/routing-rules', {
    preHandler: mayRoute,
    schema: { tags: ['admin'], summary: 'The routing rules, in the order they apply', response: { 200: Rules } },
  }, async () => ({ items: (await listRules(db)).map(toItem) }));

  r.put('/api/admin/routing-rules', {
    preHandler: mayRoute,
    schema: {
      tags: ['admin'], summary: 'Replaces the routing rules with this list (applies to cases routed from now on)',
      body: Type.Object({ items: Type.Array(RuleInput, { maxItems: 500 }) }), response: { 200: Rules },
    },
  }, async (request) => ({ items: (await replaceRules(db, actorOfRequest(request), request.body.items)).map(toItem) }));

  r.get('/api/admin/holidays', {
    preHandler: mayCalendar,
    schema: {
      tags: ['admin'], summary: 'Public holidays and make-up working days',
      querystring: Type.Object({ year: Type.Optional(Type.String({ pattern: '^(19|20|21)\\d{2}$' })) }),
      response: { 200: Type.Object({ items: Type.Array(HolidayItem) }) },
    },
  }, async (request) => ({ items: await listCalendar(db, request.query.year ? Number(request.query.year) : undefined) }));

  r.put('/api/admin/holidays/:day', {
    preHandler: mayCalendar,
    schema: {
      tags: ['admin'], summary: 'Sets a day off or a make-up working day (kind makeup)', params: DayParams,
      body: Type.Object({ nameVi: Text(200), nameEn: Text(200), kind: HolidayKind }, { additionalProperties: false }),
      response: { 200: HolidayItem },
    },
  }, async (request) => putHoliday(db, actorOfRequest(request), request.params.day, request.body));

  r.delete('/api/admin/holidays/:day', {
    preHandler: mayCalendar,
    schema: { tags: ['admin'], summary: 'Removes a day from the calendar', params: DayParams, response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }, async (request) => {
    await removeHoliday(db, actorOfRequest(request), request.params.day);
    return { ok: true as const };
  });
};

export default adminWorkflowRoutes;
