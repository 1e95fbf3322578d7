import { STATUS_CODES } from 'node:http';
import { holdsSecret, redactDeep, redactSecrets } from '../secrets.js';

const RAW_TEXT_LIMIT = 500;

/** Cuts text to about `limit` characters for messages. */
export function truncate(text: string, limit = RAW_TEXT_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/**
 * An answer's body with registered secrets redacted. JSON is parsed first and redacted decoded, so an
 * echo hidden in `\\uXXXX` escapes is caught; the text returned is then the re-encoded, redacted value.
 */
export function redactedBody(raw: string): { text: string; parsed: unknown } {
  let parsed: unknown;
  try {
    parsed = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    const text = redactSecrets(raw);
    return { text, parsed: text };
  }
  // JSON text without a backslash holds each string verbatim: searching the text itself answers for every value.
  if (!raw.includes('\\') && !holdsSecret(raw)) return { parsed, text: raw };
  const redacted = redactDeep(parsed);
  // Only error paths read the text: re-encoded when asked, not for every answer.
  return {
    parsed: redacted,
    get text() {
      return redacted === undefined ? '' : JSON.stringify(redacted);
    },
  };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Base of every error this module throws: `code` is stable, `hint` says what to do next. */
export abstract class ScmError extends Error {
  abstract readonly code: string;
  abstract readonly hint: string;

  /** `message` is not enumerable on Error: put it back for JSON logs and tool results. */
  toJSON(): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>), message: this.message };
  }
}

/** One entry of SCM's `_errors` list. */
export interface ScmErrorItem {
  code?: string;
  message?: string;
  details?: unknown;
}

export interface ScmApiErrorInit {
  status: number;
  /** The response body as received (after redaction). */
  text: string;
  operation?: string;
  /** From the response headers, used when the body carries no `_request_id`. */
  requestId?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const scalarString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toErrorItems(list: unknown): ScmErrorItem[] {
  if (!Array.isArray(list)) return [];
  const items: ScmErrorItem[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      items.push({ message: entry });
      continue;
    }
    const rec = asRecord(entry);
    if (!rec) continue;
    const item: ScmErrorItem = {};
    const code = scalarString(rec.code);
    const message = scalarString(rec.message);
    if (code) item.code = code;
    if (message) item.message = message;
    if (rec.details !== undefined && rec.details !== null) item.details = rec.details;
    if (item.code || item.message || item.details !== undefined) items.push(item);
  }
  return items;
}

function describeItem(item: ScmErrorItem): string {
  if (item.message && item.code) return `${item.message} (${item.code})`;
  return item.message ?? item.code ?? '';
}

function describeDetails(details: unknown): string | undefined {
  if (details === undefined || details === null) return undefined;
  if (typeof details === 'string') return details;
  if (Array.isArray(details)) {
    const parts = details
      .filter((d) => d !== null && d !== undefined)
      .map((d) => (typeof d === 'string' ? d : JSON.stringify(d)));
    return parts.length ? parts.join('; ') : undefined;
  }
  const json = JSON.stringify(details);
  return json === '{}' ? undefined : json;
}

/** One line telling the user (or the assistant) what to do about this error. */
export function apiErrorHint(status: number, scmCode?: string): string {
  switch (scmCode) {
    case 'E006':
      return 'An object with this name already exists here: pick another name, or update the existing object instead.';
    case 'E005':
      return 'The object does not exist: check the id and the folder (list the objects first to find them).';
    case 'E009':
      return 'The object is still referenced by other objects or rules: remove those references first, then retry.';
    case 'E003':
      return 'The input was rejected: fix the field named in the details and send the request again.';
  }
  if (status === 400)
    return 'The input was rejected: fix the field named in the details and send the request again.';
  if (status === 401 || scmCode === 'E016')
    return 'Authentication failed: check the client id, client secret and TSG id of the service account.';
  if (status === 403)
    return 'Permission denied: give the service account a role that allows this operation on this TSG.';
  if (status === 404) return 'Not found: check the id and the folder (list the objects first to find them).';
  if (status === 409) return 'Conflict with the current configuration: read the object again and retry.';
  if (status === 429) return 'Rate limited by SCM: wait a little and retry later.';
  if (status >= 500)
    return 'SCM service problem: retry later; if it persists, check the Palo Alto Networks status page.';
  return 'Unexpected answer from SCM: check the request and retry.';
}

/** A non-2xx answer from the SCM API, built so that no response body can make it throw. */
export class ScmApiError extends ScmError {
  override readonly name = 'ScmApiError';
  readonly code = 'SCM_API_ERROR';
  readonly status: number;
  readonly operation: string | undefined;
  /** SCM's own code of the first error, e.g. `E006`. */
  readonly scmCode: string | undefined;
  readonly scmMessage: string | undefined;
  /** `details` of the first error that has some: an object, a list of strings, or a string. */
  readonly details: unknown;
  readonly errors: ScmErrorItem[];
  readonly requestId: string | undefined;
  /** The body as received, cut to about 500 characters. */
  readonly rawText: string;
  readonly hint: string;

  constructor(init: ScmApiErrorInit) {
    const body = asRecord(parseJson(init.text));
    const errors = toErrorItems(body?._errors ?? body?.errors);
    const requestId = scalarString(body?._request_id) ?? init.requestId;
    const rawText = truncate(init.text);
    const what = errors.length
      ? errors.map(describeItem).join('; ')
      : truncate(oneLine(init.text)) || STATUS_CODES[init.status] || 'no body';
    const where = init.operation ? ` on ${init.operation}` : '';
    const rid = requestId ? `, request_id=${requestId}` : '';
    super(`API error [${init.status}]${where}: ${what}${rid}`);
    const first = errors[0];
    this.status = init.status;
    this.operation = init.operation;
    this.scmCode = first?.code;
    this.scmMessage = first?.message;
    this.details = errors.find((e) => e.details !== undefined)?.details;
    this.errors = errors;
    this.requestId = requestId;
    this.rawText = rawText;
    this.hint = apiErrorHint(init.status, this.scmCode);
  }

  /** The details as one readable line (for E003 it names the offending field), if any. */
  get detailsText(): string | undefined {
    const text = describeDetails(this.details);
    return text === undefined ? undefined : truncate(oneLine(text));
  }
}

export interface TokenErrorInit {
  status: number;
  /** The token endpoint's body; redact it before passing it in. */
  text: string;
  tsgId: string;
}

/** The token endpoint refused or gave no token. Never carries the secret or a token. */
export class TokenError extends ScmError {
  override readonly name = 'TokenError';
  readonly code = 'SCM_TOKEN_ERROR';
  readonly status: number;
  readonly tsgId: string;
  /** The OAuth2 `error` field, e.g. `invalid_client`. */
  readonly oauthError: string | undefined;
  readonly hint: string;

  constructor(init: TokenErrorInit) {
    const body = asRecord(parseJson(init.text));
    const oauthError = scalarString(body?.error);
    const description = scalarString(body?.error_description);
    let shown: string;
    if (oauthError)
      shown = description ? `${oauthError} (${truncate(oneLine(description), 200)})` : oauthError;
    else shown = truncate(oneLine(init.text), 200) || '<empty>';
    const hint = tokenErrorHint(init.status, init.tsgId);
    super(`token fetch failed: status=${init.status} body=${shown}. ${hint}`);
    this.status = init.status;
    this.tsgId = init.tsgId;
    this.oauthError = oauthError;
    this.hint = hint;
  }
}

function tokenErrorHint(status: number, tsgId: string): string {
  if (status === 401)
    return 'The client id or secret was rejected: check the client id, and rotate or re-enter the client secret.';
  if (status === 403)
    return `The service account may not act on TSG ${tsgId}: it has no role there, or the TSG is outside its hierarchy (an account reaches its own TSG and descendants only). Give it a role on that TSG, use a service account at an ancestor TSG, or add an access policy granting it one.`;
  if (status === 400) return `Check the TSG id (${tsgId}), the client id and the auth URL.`;
  if (status === 429 || status >= 500) return 'The token service is busy or failing: retry later.';
  if (status >= 200 && status < 300) return 'The answer held no access_token: check the auth URL.';
  return 'Check the auth URL, the client id and the TSG id.';
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Finds the system or undici error code, including inside AggregateError (happy eyeballs). */
export function errorCodeOf(err: unknown): string | undefined {
  const rec = asRecord(err);
  if (!rec) return undefined;
  if (typeof rec.code === 'string') return rec.code;
  const nested = Array.isArray(rec.errors) ? rec.errors[0] : rec.cause;
  return nested === err ? undefined : errorCodeOf(nested);
}

export interface ScmNetworkErrorInit {
  operation: string;
  attempts: number;
  cause: unknown;
}

/** The request got no HTTP answer (refused, reset, DNS, timeout) even after retrying. */
export class ScmNetworkError extends ScmError {
  override readonly name = 'ScmNetworkError';
  readonly code = 'SCM_NETWORK_ERROR';
  readonly operation: string;
  readonly attempts: number;
  /** e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
  readonly causeCode: string | undefined;
  readonly hint: string;

  constructor(init: ScmNetworkErrorInit) {
    const causeCode = errorCodeOf(init.cause);
    const causeMessage =
      init.cause instanceof Error && init.cause.message ? init.cause.message : 'connection failed';
    const tries = init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`;
    const codePart = causeCode && !causeMessage.includes(causeCode) ? ` (${causeCode})` : '';
    super(`network error on ${init.operation} after ${tries}: ${oneLine(causeMessage)}${codePart}`, {
      cause: init.cause,
    });
    this.operation = init.operation;
    this.attempts = init.attempts;
    this.causeCode = causeCode;
    this.hint =
      causeCode && TIMEOUT_CODES.has(causeCode)
        ? 'SCM did not answer in time: retry later, or raise the timeout.'
        : 'SCM could not be reached: check the network, any proxy, and the API URL, then retry.';
  }
}

/** A 2xx answer whose body is not the shape the operation returns. */
export class ScmUnexpectedResponseError extends ScmError {
  override readonly name = 'ScmUnexpectedResponseError';
  readonly code = 'SCM_UNEXPECTED_RESPONSE';
  readonly hint = 'SCM answered in an unexpected shape: retry, and report it if it persists.';
}

export interface ScmTimeoutErrorInit {
  operation: string;
  deadlineMs: number;
  /** What the call was waiting for when the deadline passed. */
  waitingFor: 'token' | 'api';
}

/** The call's overall deadline (token fetch, attempts and waits between retries) passed. */
export class ScmTimeoutError extends ScmError {
  override readonly name = 'ScmTimeoutError';
  readonly code = 'SCM_DEADLINE';
  readonly operation: string;
  readonly deadlineMs: number;
  readonly waitingFor: 'token' | 'api';
  readonly hint: string;

  constructor(init: ScmTimeoutErrorInit) {
    const what = init.waitingFor === 'token' ? 'the token endpoint (auth URL)' : 'the SCM API';
    super(`${init.operation}: no answer within the deadline of ${init.deadlineMs} ms, waiting for ${what}`);
    this.operation = init.operation;
    this.deadlineMs = init.deadlineMs;
    this.waitingFor = init.waitingFor;
    this.hint =
      init.waitingFor === 'token'
        ? 'The token endpoint did not answer in time: check the auth URL and the network, then retry. A change may not have been sent.'
        : 'SCM did not answer in time: the change may or may not have been made. Check with a get or list before repeating it; raise --call-timeout if calls are slow.';
  }
}
