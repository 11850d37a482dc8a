import { Type } from 'typebox';
import { BODY_KINDS, LEVELS } from '../../domain/vocabulary.ts';
import { USERNAME_PATTERN } from '../../services/admin.service.ts';
import { RoleSchema } from '../auth/schemas.ts';

export const Cursor = Type.Optional(Type.String({ maxLength: 100 }));
/** Query strings arrive as text and the app does not coerce types: numbers are digit strings. */
export const QueryInt = (description: string) => Type.String({ pattern: '^[1-9][0-9]{0,8}$', description });
export const Limit = Type.Optional(QueryInt('page size, 1-100'));
export const limitOf = (value: string | undefined, fallback: number, max: number): number => Math.min(value ? Number(value) : fallback, max);
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const BodyKindSchema = Type.Enum(BODY_KINDS);
export const LevelSchema = Type.Enum(LEVELS);

export const BodyItem = Type.Object({
  id: Type.String(), code: Type.String(), kind: BodyKindSchema, level: LevelSchema, jurisdictionCode: Type.String(),
  nameVi: Type.String(), nameEn: Type.String(), active: Type.Boolean(), members: Type.Integer(),
  currentKeyVersion: Type.Union([Type.Integer(), Type.Null()]), pendingKeyVersion: Type.Union([Type.Integer(), Type.Null()]),
  keyRotationNeeded: Type.Boolean(),
});

export const NewBody = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$' }),
  kind: BodyKindSchema,
  level: LevelSchema,
  jurisdictionCode: Type.String({ minLength: 1, maxLength: 40 }),
  nameVi: Type.String({ minLength: 2, maxLength: 200 }),
  nameEn: Type.String({ minLength: 2, maxLength: 200 }),
});

export const StaffItem = Type.Object({
  id: Type.String(), username: Type.String(), displayName: Type.String(), role: RoleSchema, active: Type.Boolean(),
  bodyId: Type.String(), bodyCode: Type.String(), secondFactor: Type.Boolean(), hasKeys: Type.Boolean(),
  mustChangePassphrase: Type.Boolean(), locked: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }),
});

export const NewStaff = Type.Object({
  bodyId: Type.String({ format: 'uuid' }),
  username: Type.String({ pattern: USERNAME_PATTERN }),
  displayName: Type.String({ minLength: 2, maxLength: 120 }),
  role: RoleSchema,
  email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
});

export const TemporaryPassphrase = Type.Object({ id: Type.String(), temporaryPassphrase: Type.String() });
