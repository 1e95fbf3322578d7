import { Agent } from 'undici';
import { ScmClient, type ScmClientOptions } from '../../src/scm/index.js';
import { FakeScm, TOKEN_PATH } from './fake-scm.js';

export const CLIENT_ID = 'mcp-test@1234567890.iam.panserviceaccount.com';
export const SECRET = 'sUp3r-s3cret-Value-never-shown';
export const TSG = '1234567890';

const cleanups: Array<() => Promise<unknown>> = [];

export async function startFake(): Promise<FakeScm> {
  const fake = await FakeScm.start();
  cleanups.push(() => fake.close());
  return fake;
}

/** An undici Agent closed after the test, so no socket outlives it. */
export function testAgent(): Agent {
  const agent = new Agent({ keepAliveTimeout: 1000 });
  cleanups.push(() => agent.close());
  return agent;
}

export async function cleanup(): Promise<void> {
  const all = cleanups.splice(0);
  await Promise.allSettled(all.map((fn) => fn()));
}

/** A client on the fake whose sleep records delays instead of waiting. */
export function clientFor(
  fake: FakeScm,
  overrides: Partial<ScmClientOptions> = {},
): { client: ScmClient; delays: number[] } {
  const delays: number[] = [];
  const client = new ScmClient({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tsgId: TSG,
    apiUrl: fake.url,
    setupUrl: fake.url,
    authUrl: `${fake.url}${TOKEN_PATH}`,
    dispatcher: testAgent(),
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  });
  return { client, delays };
}

/** Resolves with what `promise` rejected with; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Every way an error could end up in front of a user or in a log. */
export function renderings(err: unknown): string {
  const e = err as Error;
  return [
    e.message,
    String(err),
    JSON.stringify(err),
    e.stack ?? '',
    (e as { hint?: string }).hint ?? '',
  ].join('\n');
}
