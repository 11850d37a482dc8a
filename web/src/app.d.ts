// See https://svelte.dev/docs/kit/types#app.d.ts
import type { PortalMeta } from '$lib/meta';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    // interface Locals {}
    interface PageData {
      meta: PortalMeta;
    }
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
