// A list the API pages with `next_cursor`: the first page when its filters change, the next on request.
import { useEffect, useState } from 'preact/hooks';
import { errorMessages } from './api/client';

type Page<T> = { items: T[]; next: string | null } | { error: unknown };

/** An openapi-fetch answer as a page of `pick(data)`. */
export function asPage<D extends { next_cursor?: string | null }, T>(answer: { data?: D; error?: unknown }, pick: (data: D) => T[]): Page<T> {
  return answer.data ? { items: pick(answer.data), next: answer.data.next_cursor ?? null } : { error: answer.error };
}

export function useCursorList<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, filters: readonly unknown[]) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  const load = async (after?: string) => {
    const page = await fetchPage(after);
    if ('error' in page) return setErrors(errorMessages(page.error));
    setErrors([]);
    setItems((previous) => (after && previous ? [...previous, ...page.items] : page.items));
    setCursor(page.next);
  };
  useEffect(() => void load(), filters);

  return { items, setItems, errors, setErrors, reload: () => load(), loadMore: cursor ? () => load(cursor) : null };
}

export function LoadMore({ onLoad }: { onLoad: (() => Promise<void>) | null }) {
  return onLoad ? <button type="button" class="secondary" onClick={() => void onLoad()}>Load more</button> : null;
}
