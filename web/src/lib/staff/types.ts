// Shapes of the staff API answers the pages use (the server's TypeBox schemas are the truth).
import type { Role } from '$domain/vocabulary';

export type Stage = 'second_factor' | 'enrol_second_factor' | 'complete';

export type StaffBody = { id: string; code: string; kind: string; level: string; jurisdictionCode: string; nameVi: string; nameEn: string };

export type SessionInfo = {
  signedIn: boolean;
  stage?: Stage;
  csrfToken?: string;
  expiresAt?: string;
  idleTimeoutSeconds?: number;
  mustChangePassphrase?: boolean;
  hasKeys?: boolean;
  secondFactor?: { totp: boolean; passkeys: number };
  passkeysAvailable?: boolean;
  staff?: { id: string; username: string; displayName: string; role: Role; body: StaffBody };
};

export type SignedIn = { stage: Stage; csrfToken: string };

export type MyKeys = { hasKeys: boolean; boxPublicKey?: string; signPublicKey?: string; passphraseBundle?: string; recoveryBundle?: string };

export type MyBodyKey = {
  bodyId: string; keyVersion: number; status: 'pending' | 'current' | 'retired';
  publicKey: string; createdAt: string; signature: string | null; sealedPrivateKey: string;
};

export type StaffHome = {
  may: { manageBodies: boolean; manageStaff: boolean; readAudit: boolean; manageBodyKey: boolean; listCases: boolean; managePersonnel: boolean; manageDirectory: boolean; decideHolds: boolean };
  bodyKey: { hasCurrentKey: boolean; pendingVersion: number | null; rotationNeeded: boolean; holdsCurrentKey: boolean; membersWaiting: number };
  passkeys: number;
  sessionEndsAt: string;
};

export type BodyKeyStatus = {
  bodyId: string;
  rotationNeeded: boolean;
  versions: { keyVersion: number; status: 'pending' | 'current' | 'retired'; publicKey: string; createdAt: string; signature: string | null }[];
  members: { staffId: string; username: string; displayName: string; role: Role; boxPublicKey: string | null; heldVersions: number[]; eligible: boolean }[];
};

export type Page<T> = { items: T[]; nextCursor: string | null };
