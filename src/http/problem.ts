/**
 * Maps every error to an RFC 9457 `application/problem+json` answer. Domain errors carry their
 * kind; schema failures, malformed bodies and database constraint violations are translated
 * here so that bad input never surfaces as a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { sqlState } from '../db/transaction.ts';
import { AppError, type ErrorKind, type FieldProblem } from '../modules/shared/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  validation: 422, bad_request: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, throttled: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Not signed in', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed',
  409: 'Conflict', 413: 'Payload too large', 415: 'Unsupported media type', 422: 'Invalid input', 429: 'Too many requests', 500: 'Internal error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

export function problem(status: number, code: string, detail: string, errors?: FieldProblem[], extra: Record<string, unknown> = {}): Problem {
  return { type: `urn:ytterby:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors?.length ? { errors } : {}), ...extra };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

/** zod issue → the field path and a rule code a client can switch on. */
function zodProblems(error: { validation: { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string }): FieldProblem[] {
  return error.validation.map((v) => {
    const issue = (v.params?.issue ?? {}) as { code?: string; path?: (string | number)[]; message?: string; origin?: string; format?: string };
    const path = issue.path ?? (v.instancePath ?? '').split('/').filter(Boolean);
    let rule = issue.code ?? v.keyword ?? 'invalid';
    if (rule === 'too_small') rule = issue.origin === 'string' ? 'min_length' : issue.origin === 'array' ? 'min_items' : 'min';
    if (rule === 'too_big') rule = issue.origin === 'string' ? 'max_length' : issue.origin === 'array' ? 'max_items' : 'max';
    if (rule === 'invalid_format') rule = issue.format ?? 'format';
    if (rule === 'invalid_type') rule = 'type';
    if (rule === 'invalid_value') rule = 'enum';
    if (rule === 'unrecognized_keys') rule = 'unknown_field';
    const field = path.length ? path.join('.') : (error.validationContext ?? 'body');
    return { field, rule, message: issue.message ?? v.message ?? 'invalid' };
  });
}

const CONSTRAINT_FIELDS: Record<string, string> = {
  enterprises_credit_code_unique: 'creditCode', users_username_unique: 'username', products_code_unique: 'code',
  departments_code_unique: 'code', rare_earth_groups_code_unique: 'code',
};

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    return problem(STATUS[error.kind], error.code, error.message, error.problems, error.extra);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = zodProblems(error as Parameters<typeof zodProblems>[0]);
    return problem(422, 'validation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return problem(500, 'internal', 'the server produced an invalid response; the error is logged');
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return problem(415, 'unsupported_media_type', 'send application/json');
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'payload_too_large', 'the request body is too large');
  if (fastifyError.code?.startsWith('FST_ERR_CTP') || (fastifyError.statusCode === 400 && error instanceof SyntaxError)) {
    return problem(400, 'malformed_body', `the request body could not be read: ${fastifyError.message}`);
  }
  const state = sqlState(error);
  if (state === '23505') {
    const constraint = (error as { constraint?: string; cause?: { constraint?: string } }).constraint ?? (error as { cause?: { constraint?: string } }).cause?.constraint ?? '';
    const field = CONSTRAINT_FIELDS[constraint] ?? 'body';
    return problem(409, 'unique', `${field} is already taken`, [{ field, rule: 'unique', message: 'already taken' }]);
  }
  if (state === '23503') return problem(422, 'reference', 'a referenced record does not exist', [{ field: 'body', rule: 'exists', message: 'a referenced record does not exist' }]);
  if (state === '23514' || state === '22P02' || state === '22007' || state === '22008' || state === '22003' || state === '22021' || state === '22001') {
    // Never echo the database's message: it carries the query and its parameters.
    const constraint = (error as { cause?: { constraint?: string } }).cause?.constraint;
    const rule = state === '22003' ? 'out_of_range' : state === '22021' ? 'encoding' : 'constraint';
    request.log.warn({ err: error }, 'database refused a value that validation let through');
    return problem(422, 'constraint', `a value breaks a rule of the database${constraint ? ` (${constraint})` : ''}`, [{ field: 'body', rule, message: 'a value is out of range or not allowed' }]);
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return problem(fastifyError.statusCode, 'request', fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(500, 'internal', 'an internal error occurred; it has been logged');
}
