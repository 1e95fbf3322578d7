import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { FieldSchema, IrOperation } from '../../src/openapi/ir.js';
import { FileAuditLog } from '../../src/safety/audit-log.js';
import { redactArgs } from '../../src/safety/redact-args.js';

let ops: IrOperation[];
const op = (tool: string) => ops.find((o) => o.tool === tool)!;
const input = (tool: string, name: string) => op(tool).inputs.find((i) => i.name === name)!.schema;
const prop = (f: FieldSchema, key: string) => (f.kind === 'object' ? f.properties[key]?.schema : undefined);

beforeAll(() => {
  ops = loadCatalog().operations;
});

const PEM = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n').toString(
  'base64',
);

describe('secret-bearing fields are marked in the IR at generate time', () => {
  it('marks the SCEP challenge, the certificate file and the usual credential names', () => {
    expect(input('scep_profile_create', 'scep_challenge').secret).toBe(true);
    expect(input('certificate_import', 'certificate_file').secret).toBe(true);
    expect(input('certificate_import', 'passphrase').secret).toBe(true);
    // A name, not a credential: left alone.
    expect(input('scep_profile_create', 'name').secret).toBeUndefined();
  });

  it('marks nested credentials too (a pre-shared key inside an IKE gateway)', () => {
    const auth = input('ike_gateway_create', 'authentication');
    const psk = prop(auth, 'pre_shared_key');
    expect(psk?.secret ?? prop(psk!, 'key')?.secret).toBe(true);
  });
});

describe('the audit log never holds a marked secret', () => {
  it('redacts scep_challenge.fixed and certificate_file, keeping the rest readable', () => {
    const scep = op('scep_profile_create');
    expect(
      redactArgs(
        { name: 'gp-scep', folder: 'Mobile Users', scep_challenge: { fixed: 'hunter2-challenge' } },
        scep,
      ),
    ).toEqual({ name: 'gp-scep', folder: 'Mobile Users', scep_challenge: { fixed: '[redacted]' } });
    const cert = op('certificate_import');
    const out = redactArgs(
      { name: 'c1', certificate_file: PEM, format: 'pem', passphrase: 'pw' },
      cert,
    ) as Record<string, unknown>;
    expect(out.certificate_file).toBe('[redacted]');
    expect(out.passphrase).toBe('[redacted]');
    expect(out.name).toBe('c1');
  });

  it('writes neither to the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pa-audit-secret-')), 'audit.log');
    const log = new FileAuditLog(
      path,
      { tsgId: '1', environment: 'sandbox', approvalMode: 'auto' },
      { operations: ops },
    );
    await log.write({
      phase: 'intent',
      tool: 'scep_profile_create',
      key: op('scep_profile_create').key,
      args: { name: 'gp-scep', folder: 'Mobile Users', scep_challenge: { fixed: 'hunter2-challenge' } },
    });
    await log.write({
      phase: 'intent',
      tool: 'certificate_import',
      key: op('certificate_import').key,
      args: { name: 'c1', certificate_file: PEM },
    });
    await log.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2-challenge');
    expect(text).not.toContain(PEM.slice(0, 20));
    expect(text).toContain('"fixed":"[redacted]"');
  });
});

describe('the name fallback, for fields the IR does not mark', () => {
  it('hides texts under credential-like names at any depth, and leaves look-alikes readable', () => {
    expect(
      redactArgs({
        extra: { secret_value: 's1', admin_password_hint: 'h', nested: [{ bind_password: 'p' }] },
        auto_key: { ike_gateway: [{ name: 'gw-1' }] },
        registry_key: ['HKLM\\Software'],
        passcode_set: true,
      }),
    ).toEqual({
      extra: {
        secret_value: '[redacted]',
        admin_password_hint: '[redacted]',
        nested: [{ bind_password: '[redacted]' }],
      },
      auto_key: { ike_gateway: [{ name: 'gw-1' }] },
      registry_key: ['HKLM\\Software'],
      passcode_set: true,
    });
  });
});
