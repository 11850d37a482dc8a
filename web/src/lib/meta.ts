// What GET /api/meta tells the public pages about this deployment.
export type PortalMeta = {
  demo: boolean;
  rootKeyFingerprint: string | null;
  version: string;
};

// Used when the API cannot be reached: no demo banner, no fingerprint to show.
export const UNKNOWN_META: PortalMeta = { demo: false, rootKeyFingerprint: null, version: '' };

/** Accepts only the documented shape, so a broken or hostile response shows nothing. */
export function parseMeta(value: unknown): PortalMeta {
  if (typeof value !== 'object' || value === null) return UNKNOWN_META;
  const v = value as Record<string, unknown>;
  return {
    demo: v.demo === true,
    rootKeyFingerprint:
      typeof v.rootKeyFingerprint === 'string' && v.rootKeyFingerprint.length <= 200
        ? v.rootKeyFingerprint
        : null,
    version: typeof v.version === 'string' && v.version.length <= 64 ? v.version : '',
  };
}
