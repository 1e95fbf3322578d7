import { createHash } from 'node:crypto';
import type { ResourceMeta } from './routes.js';
import type { StoredObject } from './store.js';

const SECRET_FIELDS = new Set(['password', 'bind_password', 'passphrase', 'secret', 'api_key', 'key_file']);

/** Secrets come back encrypted, as PAN-OS shows them, never as sent. */
const encrypted = (value: string) => `-AQ==${createHash('sha1').update(value).digest('base64').slice(0, 27)}`;

function maskSecrets(value: unknown, parent = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, parent));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const secret = SECRET_FIELDS.has(k) || (parent === 'pre_shared_key' && k === 'key');
    out[k] = secret && typeof v === 'string' ? encrypted(v) : maskSecrets(v, k);
  }
  return out;
}

/** An object as the API answers it: id, name and container first, then its fields. */
export function present(meta: ResourceMeta, o: StoredObject): Record<string, unknown> {
  const { name, ...rest } = o.data;
  return {
    ...(meta.showsId ? { id: o.id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(o.folder !== undefined ? { folder: o.folder } : {}),
    ...(o.snippet !== undefined ? { snippet: o.snippet } : {}),
    ...(maskSecrets(rest) as Record<string, unknown>),
  };
}
