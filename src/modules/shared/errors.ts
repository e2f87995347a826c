/**
 * Errors are values with a kind (how the caller should react), a code naming the rule
 * (`registry.credit_code_invalid`), a message a user can act on and, for bad input, the
 * fields at fault. Only the HTTP layer turns them into status codes.
 */
export type ErrorKind =
  | 'validation' | 'bad_request' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'throttled';

export interface FieldProblem {
  /** JSON path of the field in the request, dotted: `licences.0.validTo`. */
  field: string;
  /** The rule broken, as a stable code: `check_character`, `exists`, `unique`, `max`. */
  rule: string;
  message: string;
  /** Where in an uploaded spreadsheet: the row number as the sheet shows it, and the column's header. */
  row?: number;
  column?: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function invalid(field: string, rule: string, message: string, code = 'validation'): AppError {
  return new AppError('validation', code, message, [{ field, rule, message }]);
}

export function invalidFields(problems: FieldProblem[], code = 'validation'): AppError {
  return new AppError('validation', code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

export function notFound(entity: string, id: string): AppError {
  return new AppError('not_found', `${entity}.not_found`, `${entity} ${id} does not exist or is outside your jurisdiction`);
}

export function forbidden(message: string, code = 'auth.forbidden'): AppError {
  return new AppError('forbidden', code, message);
}

export function conflict(field: string, rule: string, message: string, code = 'conflict'): AppError {
  return new AppError('conflict', code, message, [{ field, rule, message }]);
}

/** Collects field problems so a request reports all of them at once. */
export class ProblemList {
  readonly items: FieldProblem[] = [];
  add(field: string, rule: string, message: string): void {
    this.items.push({ field, rule, message });
  }
  throwIfAny(code = 'validation'): void {
    if (this.items.length > 0) throw invalidFields(this.items, code);
  }
}
