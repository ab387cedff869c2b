import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { fieldLabel, humanMessage } from './human-messages';
import { MAX_BODY_DEPTH as MAX_DEPTH } from './json-shape';

/** Names that reach an object's prototype when copied field by field: never a field of ours, never data. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** One problem with the input, for a client to show beside the field it concerns. */
export interface FieldProblem {
  /** The field's path in the body or query (`title`, `steps.0.name`); for a path parameter, its name. */
  field: string;
  message: string;
}

/**
 * Every body and query is validated: unknown fields are refused. A 400 says each problem as a person
 * would, in `message` (one sentence per problem) and in `errors` (the same, each with its field).
 */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => invalidInput(fieldProblems(errors)),
  });
}

/**
 * Before the class validators run, refuses what they would pass on or choke on: a NUL character in any
 * string (PostgreSQL text cannot hold one, so it would fail in the database as a 500), nesting deep
 * enough to overflow the stack of the recursive transformers, and a prototype key (`__proto__`), which
 * JSON.parse keeps as an own field that the whitelist does not see.
 */
class InputValidationPipe extends ValidationPipe {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = problemIn(value, metadata.type === 'param' ? (metadata.data ?? 'parameter') : '');
      if (problem) throw invalidInput([problem]);
    }
    return super.transform(value, metadata);
  }
}

/** Walks the input without recursion: the first NUL character or excess depth, with the field it is in. */
function problemIn(input: unknown, root: string): FieldProblem | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path || 'value', message: `${fieldLabel(path || 'value')} must not contain NUL characters` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) return { field: path || 'body', message: `${fieldLabel(path || 'body')} is nested more than ${MAX_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { field: childPath, message: `Field names must not contain NUL characters (${JSON.stringify(childPath)})` };
      if (PROTOTYPE_KEYS.has(key)) return { field: childPath, message: `Unknown field: ${childPath} (${key} is never a field name)` };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

export function invalidInput(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({ message: problems.map((problem) => problem.message), errors: problems });
}

/** Checks of a value's kind: when one fails, its range checks say nothing useful ("abc" is not "at most 100"). */
const KIND_CHECKS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isEnum', 'isIn', 'isUuid', 'isEmail', 'isArray', 'isObject', 'isInstant']);

/**
 * One sentence per field, as a person would say it, with the field's full path. Of the checks that failed,
 * a check of the value's kind wins, then the one written first on the property (decorators register from
 * the last written, so it is the last to fail).
 */
function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const failed = Object.entries(error.constraints ?? {});
    const kind = failed.filter(([constraint]) => KIND_CHECKS.has(constraint));
    const chosen = (kind.length > 0 ? kind : failed).at(-1);
    // class-validator words a nested field's message with its own name only; give the full path.
    const own = chosen ? [{ field, message: humanMessage(field, chosen[0], parent ? chosen[1].replace(error.property, field) : chosen[1]) }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}
