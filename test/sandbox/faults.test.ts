import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchToken, read, sleep, start, type TestSandbox } from './helpers.js';

describe('sandbox fault injection', () => {
  const open: TestSandbox[] = [];
  const make = async (...args: Parameters<typeof start>) => {
    const sb = await start(...args);
    open.push(sb);
    return sb;
  };
  afterAll(async () => {
    for (const sb of open) await sb.close();
  });

  const statuses = async (sb: TestSandbox, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await sb.api('GET', 'tags?folder=Shared')).status);
    return out;
  };

  it('is deterministic from the seed: the same requests meet the same faults', async () => {
    const faults = { rate429: 0.3, rate5xx: 0.2 };
    const a = await statuses(await make({ seed: 42, faults, seedDemo: false }), 40);
    const b = await statuses(await make({ seed: 42, faults, seedDemo: false }), 40);
    const c = await statuses(await make({ seed: 7, faults, seedDemo: false }), 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((s) => s === 429).length).toBeGreaterThan(4);
    expect(a.filter((s) => s >= 500).length).toBeGreaterThan(2);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(10);
  });

  it('draws a fault when a request arrives, not when its body has finished streaming', async () => {
    const opts = { seed: 2, seedDemo: false, faults: { rate429: 0.5 } };
    const solo = await make(opts);
    await solo.token();
    // Seed 2: the first request is limited, the second is not.
    expect(await statuses(solo, 2)).toEqual([429, 200]);

    const sb = await make(opts);
    const token = await sb.token();
    const body = JSON.stringify({ name: 'slow' });
    const socket = connect(Number(new URL(sb.url).port), '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += String(d)));
    const closed = new Promise((r) => socket.on('close', r));
    socket.write(
      `POST /sse/config/v1/tags?folder=Shared HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    while (sb.requests.filter((r) => r.path.endsWith('/tags')).length === 0) await sleep(5);
    // A second request overtakes the first one's body: it still meets the second draw.
    expect((await sb.api('GET', 'tags?folder=Shared')).status).toBe(200);
    socket.end(body);
    await closed;
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 429 Too Many Requests');
  });

  it('answers 429 with Retry-After, and 5xx in the shapes gateways and SCM use', async () => {
    const sb = await make({ seed: 3, seedDemo: false, faults: { rate429: 1, retryAfterSeconds: 2 } });
    const limited = await sb.api('GET', 'tags?folder=Shared');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');

    sb.setFaults({ rate5xx: 1 });
    const seen = new Map<number, string>();
    for (let i = 0; i < 30; i++) {
      const res = await sb.api('GET', 'tags?folder=Shared');
      seen.set(res.status, res.headers.get('content-type') ?? '');
    }
    expect([...seen.keys()].sort()).toEqual([502, 503, 504]);
    expect(seen.get(502)).toBe('text/html');
  });

  it('a faulted request has no effect on the tenant', async () => {
    const sb = await make({ seedDemo: false, faults: { rate5xx: 1 } });
    const res = await sb.api('POST', 'tags?folder=Shared', { name: 'never-created' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    sb.setFaults({});
    expect((await sb.api('GET', 'tags?folder=Shared&name=never-created')).status).toBe(404);
  });

  it('drops connections, and adds latency', async () => {
    const sb = await make({ seedDemo: false, faults: { dropRate: 1 } });
    await sb.token();
    await expect(sb.api('GET', 'tags?folder=Shared')).rejects.toThrow();
    sb.setFaults({ latencyMs: 150 });
    const t0 = Date.now();
    expect((await sb.api('GET', 'tags?folder=Shared')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('makes the token endpoint slow or failing', async () => {
    const sb = await make({ seedDemo: false, faults: { tokenFailRate: 1 } });
    const failed = await read(await fetchToken(sb));
    expect(failed.status).toBe(500);
    expect(failed.body.error).toBe('server_error');
    sb.setFaults({ tokenLatencyMs: 200 });
    const t0 = Date.now();
    expect((await fetchToken(sb)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });
});
