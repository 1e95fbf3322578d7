import { REDACTED, redactSecrets } from '../secrets.js';

export { REDACTED };

// Field names that hold credentials in the SCM API (pre_shared_key, bind_password, secret, psk, ...).
const SECRET_KEY =
  /pass(word|wd|phrase|code)|secret|token|(^|_)key$|key_?file|keytab|access_?key|psk|private|credential|community|^hash$|otp/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !/_url$/i.test(key);
}

/** A copy of the arguments with every secret-looking text field replaced, at any depth (flags and objects stay). */
export function redactArgs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactArgs);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSecretKey(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redactArgs(v),
      ]),
    );
  }
  // Registered secrets (the client secret) never leave, whatever field they hide in.
  return typeof value === 'string' ? redactSecrets(value) : value;
}
