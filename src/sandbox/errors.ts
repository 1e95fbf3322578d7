import { randomUUID } from 'node:crypto';

/** An answer in SCM's error shape: `{_errors: [{code, message, details}], _request_id}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, details: unknown, requestId = randomUUID()) {
  return { _errors: [{ code, message, details }], _request_id: requestId };
}

/** One failed field of a request body, as the sandbox reports it in `details.errors`. */
export interface FieldError {
  field: string;
  message: string;
  expected?: unknown;
}

export const invalidObject = (errors: FieldError[]) =>
  new ApiError(400, 'E003', 'Invalid Object', {
    errorType: 'Invalid Object',
    message: errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)),
    errors,
  });

export const badRequest = (message: string, lines: string[] = []) =>
  new ApiError(400, 'E003', message, { errorType: message.split(':')[0], message: lines });

export const missingQuery = (name: string) =>
  badRequest(`Missing Query Parameter: ${name}`, [`"${name}" is required`]);

export const invalidQuery = (name: string, value: string, why: string) =>
  badRequest(`Invalid Query Parameter: ${name}=${value}`, [why]);

export const missingBody = () => badRequest('Missing Body', ['a JSON request body is required']);

export const notPresent = (what: string) =>
  new ApiError(404, 'E005', 'Object Not Present', { errorType: 'Object Not Present', message: [what] });

export const nameNotUnique = (name: string, container: string) =>
  new ApiError(409, 'E006', 'Name Not Unique', {
    errorType: 'Name Not Unique',
    message: [`"${name}" already exists in ${container}`],
  });

/** Delete of an object something still uses; `paths` read like SCM's ` container -> F -> kind -> name -> field`. */
export const referenceNotZero = (name: string, paths: string[]) =>
  new ApiError(409, 'E009', 'Reference Not Zero', {
    errorType: 'Reference Not Zero',
    message: paths,
    errors: [
      {
        type: 'NON_ZERO_REFS',
        message: 'Node cannot be deleted because of references from',
        params: [name],
        extra: paths,
      },
    ],
  });

export const notAuthenticated = (message: 'Not Authenticated' | 'Invalid Credential' | 'Key Expired') =>
  new ApiError(401, 'E016', message, {});

export const methodNotSupported = () => new ApiError(405, 'E012', 'Method Not Supported', {});
