// Every request DTO's validation messages, walked: each class that class-validator knows is fed wrong
// values field by field through the app's own ValidationPipe, and no message may still be class-validator's
// developer English ("title must be a string", "must be longer than or equal to 1 characters").
import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createValidationPipe } from './validation.pipe';

const SRC = join(__dirname, '..');

/** class-validator's own wording, which a person should never be shown. */
const DEVELOPER_ENGLISH =
  /must be a string|must be (longer|shorter) than or equal to|must be one of the following values|should not exist|must not be (less|greater) than -?\d+$|must be an? (integer number|boolean value|UUID|email|array|object|hexadecimal number)$|must be a number conforming|should not be empty|should not be null or undefined|must contain (no more than|at least) \d+ elements|must match .* regular expression|must be either object or array|elements must be unique/;

const WRONG_VALUES: unknown[] = [undefined, null, 42, -1, 1e12, 1.5, true, '', '   ', 'x', 'not-a-date', 'x'.repeat(20001), {}, [], [{}], ['a', 'a']];

function dtoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dtoFiles(path);
    return name.endsWith('.dto.ts') ? [path] : [];
  });
}

/** The DTO classes with validation rules, and the fields each validates. */
function validatedClasses(): Map<Function, Set<string>> {
  for (const file of dtoFiles(SRC)) require(file);
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Array<{ propertyName: string }>> };
  const classes = new Map<Function, Set<string>>();
  for (const [target, rules] of storage.validationMetadatas) {
    if (typeof target !== 'function') continue;
    classes.set(target, new Set(rules.map((rule) => rule.propertyName)));
  }
  return classes;
}

async function problemsOf(metatype: Function, body: Record<string, unknown>): Promise<{ message: string[]; errors: Array<{ field: string; message: string }> } | null> {
  const pipe = createValidationPipe();
  try {
    await pipe.transform(body, { type: 'body', metatype } as ArgumentMetadata);
    return null;
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return error.getResponse() as { message: string[]; errors: Array<{ field: string; message: string }> };
  }
}

describe('validation messages of every request DTO', () => {
  const classes = validatedClasses();

  it('finds the DTOs people fill in', () => {
    const names = [...classes.keys()].map((target) => target.name);
    expect(names).toEqual(expect.arrayContaining(['CreateTicketDto', 'CreateRequestDto', 'UpdateTicketDto', 'CreateCommentDto', 'RegisterDto', 'LoginDto', 'UpdateRoleDto', 'HilResponseDto', 'AskRequesterDto']));
    expect(classes.size).toBeGreaterThan(25);
  });

  it('says every problem as a person would, never in class-validator’s developer English, once per field and with its field', async () => {
    const developerEnglish: string[] = [];
    const severalPerField: string[] = [];
    let refusals = 0;
    for (const [target, fields] of classes) {
      const bodies = [{ an_unknown_field: 1 }, ...[...fields].flatMap((field) => WRONG_VALUES.map((value) => ({ [field]: value })))];
      for (const body of bodies) {
        const problems = await problemsOf(target, body);
        if (!problems) continue;
        refusals += 1;
        expect(problems.errors.map((error) => error.message)).toEqual(problems.message);
        // One sentence per field: "abc" for a limit is not a whole number, not also "at most 100" and "at least 1".
        const fields = problems.errors.map((error) => error.field);
        if (new Set(fields).size !== fields.length) severalPerField.push(`${target.name} ${JSON.stringify(body).slice(0, 80)}: ${problems.message.join(' | ')}`);
        for (const message of problems.message) {
          if (DEVELOPER_ENGLISH.test(message)) developerEnglish.push(`${target.name} ${JSON.stringify(body).slice(0, 80)}: ${message}`);
        }
      }
    }
    expect(refusals).toBeGreaterThan(500);
    expect([...new Set(developerEnglish)]).toEqual([]);
    expect(severalPerField).toEqual([]);
  });

  it('names an unknown field plainly', async () => {
    const { CreateTicketDto } = require('../tickets/dto/create-ticket.dto');
    const problems = await problemsOf(CreateTicketDto, { title: 'Printer', description: 'Jammed', request_type: 'hardware', foo: 1 });
    expect(problems).toEqual({ message: ['Unknown field: foo'], errors: [{ field: 'foo', message: 'Unknown field: foo' }] });
  });
});
