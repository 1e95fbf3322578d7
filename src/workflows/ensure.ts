import type { CallMeta } from '../tools/types.js';
import { isAmbiguous, type OpRunner } from './pipeline.js';

type J = Record<string, any>;

/** Creates sent at most this often, each after reading back that the object is not there. */
export const CREATE_ATTEMPTS = 3;

export type Ensured = { ok: true; obj: J; created: boolean } | { ok: false; error: string };

/**
 * Creates an object unless it exists, never sending a create twice blindly: after an answer that leaves it open
 * whether the server acted (no answer, 5xx) or a "name not unique", read by name first; only when the object is
 * provably absent is the create sent again (at most CREATE_ATTEMPTS in all). `same` says whether an object found by name is the one we wanted.
 */
export async function ensureCreated(
  run: OpRunner,
  key: string,
  listKey: string,
  folder: string,
  args: J,
  same: (existing: J) => boolean,
  meta: CallMeta,
  listExtra: J = {},
): Promise<Ensured> {
  const name = String(args.name);
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const a = await run.call(key, args, meta);
    if (a.ok) return { ok: true, obj: a.result, created: true };
    const taken = a.scmCode === 'E006' || a.status === 409;
    if (!taken && !isAmbiguous(a)) return { ok: false, error: a.message };
    let found: J | undefined;
    try {
      found = await run.findByName(listKey, folder, name, listExtra, meta);
    } catch (err) {
      return {
        ok: false,
        error: `create of ${name} had no clear answer (${a.message}) and reading it back failed: ${(err as Error).message}`,
      };
    }
    if (found) {
      return same(found)
        ? { ok: true, obj: found, created: false }
        : { ok: false, error: `an object named ${name} already exists in ${folder} with other content` };
    }
    if (taken) return { ok: false, error: a.message };
  }
  return {
    ok: false,
    error: `create of ${name} got no clear answer ${CREATE_ATTEMPTS} times (each time it was read back and not there)`,
  };
}
