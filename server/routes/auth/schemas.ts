// Request and response schemas of the staff authentication API. Binary values are
// unpadded base64url strings.
import { Type } from 'typebox';
import { ROLES } from '../../domain/vocabulary.ts';

export const B64 = (maxLength = 400) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength });
export const LoginSecret = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'deriveLoginSecret(username, passphrase), base64url' });
export const Username = Type.String({ minLength: 1, maxLength: 64 });
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });
export const RoleSchema = Type.Enum(ROLES);
export const Stage = Type.Union([Type.Literal('second_factor'), Type.Literal('enrol_second_factor'), Type.Literal('complete')]);
export const Ok = Type.Object({ ok: Type.Literal(true) });

export const SignedIn = Type.Object({ stage: Stage, csrfToken: Type.String() });

export const SessionInfo = Type.Object({
  signedIn: Type.Boolean(),
  stage: Type.Optional(Stage),
  csrfToken: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  idleTimeoutSeconds: Type.Optional(Type.Integer()),
  mustChangePassphrase: Type.Optional(Type.Boolean()),
  hasKeys: Type.Optional(Type.Boolean()),
  secondFactor: Type.Optional(Type.Object({ totp: Type.Boolean(), passkeys: Type.Integer() })),
  passkeysAvailable: Type.Optional(Type.Boolean()),
  staff: Type.Optional(Type.Object({
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    body: Type.Object({
      id: Type.String(), code: Type.String(), kind: Type.String(), level: Type.String(),
      jurisdictionCode: Type.String(), nameVi: Type.String(), nameEn: Type.String(),
    }),
  })),
});
