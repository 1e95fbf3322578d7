import type { Item } from './snapshot.js';

/** `https://a.example.com/x?y` -> `a.example.com/x` (lower-case host, no scheme, query or port). */
export function normalUrl(url: string): string {
  const s = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = s.search(/[?#]/);
  const noQuery = cut < 0 ? s : s.slice(0, cut);
  const slash = noQuery.indexOf('/');
  const host = (slash < 0 ? noQuery : noQuery.slice(0, slash)).replace(/:\d+$/, '').toLowerCase();
  return host + (slash < 0 ? '' : noQuery.slice(slash));
}

/** Does a URL-list entry (`*.example.com`, `example.com/path`) cover the URL? `*` stands for one or more labels. */
export function urlMatches(pattern: string, url: string): boolean {
  const p = normalUrl(pattern);
  const u = normalUrl(url);
  const re = new RegExp(
    `^${p
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}(?:/.*)?$`,
    'i',
  );
  return re.test(u);
}

export function urlInCategory(url: string, category: Item): boolean {
  const list = Array.isArray(category.list)
    ? category.list.filter((x): x is string => typeof x === 'string')
    : [];
  return list.some((p) => urlMatches(p, url));
}
