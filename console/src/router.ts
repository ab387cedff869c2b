// Hash routes (#/tickets/…): the API owns every real path (/tickets, /events, /health…), so the console's
// screens never collide with them and need no server-side fallback.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** The path's segments: `#/tickets/42` → ['tickets', '42']. */
  parts: string[];
  query: URLSearchParams;
}

function current(): Route {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(path: string): void {
  location.hash = path;
}

export const href = (path: string) => `#${path}`;
