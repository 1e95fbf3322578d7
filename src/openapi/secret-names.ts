// Field names that hold credentials in the SCM API: bind_password, pre_shared_key, scep_challenge,
// certificate_file (a PEM may carry its private key), okta_token, duo_secret_key, kerberos_keytab, ...
// Anchored at word ends so auto_key, registry_key, passcode_set and passwd_exp_days stay readable.
const SECRET_NAME =
  /(^|_)(pass(word|wd|phrase|code)|secret|token|psk|challenge|keytab|hash|community)$|(^|_)(private|secret|access|integration|pre_shared)_?key$|^key$|key_?file$|certificate_file$/i;

/** Whether a field of this name holds a secret (marked at generate time; the audit log's fallback too). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !/_url$/i.test(name);
}
