// A keyset-paginated list: remembers the cursors of earlier pages so "previous" works.
import type { Page } from './types';

export class KeysetList<T> {
  items = $state<T[]>([]);
  nextCursor = $state<string | null>(null);
  page = $state(1);
  busy = $state(false);
  error = $state<unknown>(null);
  #cursors: (string | null)[] = [null];
  #fetch: (cursor: string | null) => Promise<Page<T>>;

  constructor(fetch: (cursor: string | null) => Promise<Page<T>>) {
    this.#fetch = fetch;
  }

  async #load(cursor: string | null): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#fetch(cursor);
      this.items = result.items;
      this.nextCursor = result.nextCursor;
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  }

  reset(): Promise<void> {
    this.#cursors = [null];
    this.page = 1;
    return this.#load(null);
  }

  reload(): Promise<void> {
    return this.#load(this.#cursors[this.page - 1] ?? null);
  }

  next(): Promise<void> {
    if (!this.nextCursor) return Promise.resolve();
    this.#cursors[this.page] = this.nextCursor;
    this.page += 1;
    return this.#load(this.nextCursor);
  }

  prev(): Promise<void> {
    if (this.page <= 1) return Promise.resolve();
    this.page -= 1;
    return this.#load(this.#cursors[this.page - 1] ?? null);
  }
}
