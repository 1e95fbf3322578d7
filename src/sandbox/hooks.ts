import { X509Certificate } from 'node:crypto';
import { invalidObject } from './errors.js';

const DAY = 86_400_000;
/** 'Jun  4 11:04:38 2035 GMT', as X509Certificate prints validity dates. */
function asn1Time(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${d.toUTCString().slice(8, 11)} ${day} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()} GMT`;
}

/**
 * The few resources whose stored form is not what was sent: certificates are generated or parsed,
 * and their private keys are never kept.
 */
export function toStored(resource: string, kind: string, data: Record<string, unknown>, now: number) {
  if (resource !== 'certificate') return data;
  if (kind === 'import') return imported(data);
  const cn = String(data.common_name ?? data.certificate_name ?? '');
  const days = typeof data.day_till_expiration === 'number' ? data.day_till_expiration : 365;
  const subject = `CN=${cn}`;
  return {
    name: data.certificate_name,
    ...data,
    subject,
    issuer: typeof data.signed_by === 'string' && data.signed_by ? `CN=${data.signed_by}` : subject,
    not_valid_before: asn1Time(now),
    not_valid_after: asn1Time(now + days * DAY),
    expiry_epoch: String(Math.floor((now + days * DAY) / 1000)),
  };
}

function imported(data: Record<string, unknown>): Record<string, unknown> {
  // The private key and passphrase are kept by the tenant but never shown again.
  const rest = Object.fromEntries(
    Object.entries(data).filter(([k]) => !['key_file', 'passphrase', 'certificate_file'].includes(k)),
  );
  const certificate_file = data.certificate_file;
  let cert: X509Certificate;
  try {
    const raw = String(certificate_file ?? '');
    cert = new X509Certificate(raw.includes('BEGIN CERTIFICATE') ? raw : Buffer.from(raw, 'base64'));
  } catch {
    throw invalidObject([{ field: 'certificate_file', message: 'is not a valid certificate' }]);
  }
  const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? String(rest.name);
  return {
    ...rest,
    common_name: cn,
    subject: cert.subject.replace(/\n/g, ','),
    issuer: cert.issuer.replace(/\n/g, ','),
    serial_number: cert.serialNumber,
    not_valid_before: cert.validFrom,
    not_valid_after: cert.validTo,
    expiry_epoch: String(Math.floor(Date.parse(cert.validTo) / 1000)),
  };
}
