import type { HttpMethod } from './ir.js';

/** Actions that change only the candidate: anything else a `:verb` names is destructive until the overlay says. */
export const WRITE_ACTIONS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'move']);

export const API_PREFIX = '/sse/config/v1/';

const camel = (words: string[]) =>
  words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join('');

function singular(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The path below /sse/config/v1 without {params} or :actions: `addresses`, `mobile-agent/agent-profiles`. */
export function resourcePath(path: string): string {
  const rel = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path.replace(/^\//, '');
  const segments = rel
    .split('/')
    .map((s) => s.replace(/:.*$/, ''))
    .filter((s) => s && !s.startsWith('{'));
  return (segments[0] === 'mobile-agent' ? segments.slice(0, 2) : segments.slice(0, 1)).join('/');
}

const VERSION_SEGMENT = /^v\d+(?:\.\d+)*$/;

/**
 * Every literal segment of a path relative to its server base, without version segments, {params} or :actions:
 * `/adns-resolver/v1/connection-sources/{id}/subnets` -> `adns-resolver/connection-sources/subnets`.
 */
export function resourcePathAll(path: string): string {
  return path
    .split('/')
    .map((s) => s.replace(/:.*$/, ''))
    .filter((s) => s && !s.startsWith('{') && !VERSION_SEGMENT.test(s))
    .join('/');
}

/** Each segment's last word singular: `connection-sources/subnets` -> `connectionSourceSubnet`. */
export function resourceNameAll(resPath: string): string {
  const words = resPath.split('/').flatMap((seg) => {
    const w = seg.split(/[-_]/).filter(Boolean);
    const last = w.length - 1;
    if (last >= 0) w[last] = singular(w[last]!);
    return w;
  });
  return camel(words);
}

/** The part of a server base that names its area: `/config/objects/v1` -> `objects`; `` -> undefined. */
export function areaOfBase(prefix: string): string | undefined {
  const segs = prefix.split('/').filter((s) => s && s !== 'config' && !VERSION_SEGMENT.test(s));
  return segs[segs.length - 1];
}

/** `device-onboarding` -> `deviceOnboarding`. */
export const camelOf = (words: string) => camel(words.split(/[-_/ ]/).filter(Boolean));

/** `mobile-agent/agent-profiles` -> `mobileAgentAgentProfile`. */
export function resourceName(resPath: string): string {
  const words = resPath.split(/[/-]/);
  const last = words.length - 1;
  words[last] = singular(words[last] ?? '');
  return camel(words);
}

/** The action a method and path imply: list/get/create/update/delete, or the `:verb` suffix. */
export function actionName(method: HttpMethod, path: string, paged: boolean): string {
  const verb = /:([a-zA-Z-]+)$/.exec(path)?.[1];
  if (verb) return camelOf(verb);
  const byId = /\}$/.test(path);
  switch (method) {
    case 'GET':
      return byId || !paged ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'PATCH':
      return 'patch';
  }
}

/** `securityRule.move` -> `security_rule_move`. */
export function toolNameFor(key: string): string {
  return key
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
