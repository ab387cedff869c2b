// Validation messages as a person would say them. Forms people fill in give their own words per field
// (`textMessage`, `choiceMessage`); anything else still worded by class-validator ("title must be a
// string") is reworded here from the field's name and the constraint that failed, so that no client ever
// shows a developer string.
import type { ValidationArguments } from 'class-validator';

export interface TextWords {
  /** Missing, empty or only spaces (after @Trim). */
  missing: string;
  tooLong?: string;
  tooShort?: string;
  /** Not a string at all (a number, an object…); `missing` when left out. */
  notText?: string;
  /** Text that fails a check other than its length (@IsEmail, @Matches). */
  invalid?: string;
}

/**
 * One message for a text field, whichever of its checks fails (@IsString, @Length, @MinLength, @MaxLength,
 * @IsEmail, @Matches):
 * give the same object to each, and the field gets one sentence that fits what is wrong.
 */
export function textMessage(words: TextWords): { message: (args: ValidationArguments) => string } {
  return {
    message: ({ value, constraints }: ValidationArguments) => {
      if (value === undefined || value === null || value === '') return words.missing;
      if (typeof value !== 'string') return words.notText ?? words.missing;
      const bounds = (constraints ?? []).filter((bound): bound is number => typeof bound === 'number');
      if (bounds.length === 0) return words.invalid ?? words.missing;
      if (value.length > Math.max(...bounds)) return words.tooLong ?? words.missing;
      return words.tooShort ?? words.missing;
    },
  };
}

/** "Choose a priority: low, medium, high or critical" — for @IsEnum and @IsIn. */
export function choiceMessage(prompt: string, values: object | readonly string[]): { message: string } {
  return { message: `${prompt}: ${spokenList(Object.values(values).map(String))}` };
}

/** "a, b or c". */
export function spokenList(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** "business_justification" → "Business justification"; a nested path names its last part after its parent's. */
export function fieldLabel(path: string): string {
  const words = path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .map((part) => part.replace(/_/g, ' '))
    .reverse()
    .join(' of ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Rewording = [RegExp, (label: string, match: RegExpExecArray) => string];

/** class-validator's own wording, by constraint, and what a person would say instead. */
const REWORDINGS: Record<string, Rewording> = {
  isString: [/must be a string$/, (label) => `${label} must be text`],
  isLength: [/must be (longer|shorter) than or equal to (\d+)(?: and shorter than or equal to (\d+))? characters$/, (label, m) => lengthSentence(label, m)],
  minLength: [/must be longer than or equal to (\d+) characters$/, (label, m) => `${label} must be at least ${m[1]} characters`],
  maxLength: [/must be shorter than or equal to (\d+) characters$/, (label, m) => `${label} can be at most ${m[1]} characters`],
  isEnum: [/must be one of the following values: (.*)$/, (label, m) => `Choose ${lowerFirst(label)}: ${spokenList(m[1].split(', '))}`],
  isIn: [/must be one of the following values: (.*)$/, (label, m) => `Choose ${lowerFirst(label)}: ${spokenList(m[1].split(', '))}`],
  isEmail: [/must be an email$/, (label) => `${label} must be an email address, like name@example.com`],
  isUuid: [/must be a UUID$/, (label) => `${label} must be an id (a UUID)`],
  isBoolean: [/must be a boolean value$/, (label) => `${label} must be true or false`],
  isInt: [/must be an integer number$/, (label) => `${label} must be a whole number`],
  isNumber: [/must be a number conforming to the specified constraints$/, (label) => `${label} must be a number`],
  min: [/must not be less than (-?[\d.]+)$/, (label, m) => `${label} must be at least ${m[1]}`],
  max: [/must not be greater than (-?[\d.]+)$/, (label, m) => `${label} can be at most ${m[1]}`],
  isHexadecimal: [/must be a hexadecimal number$/, (label) => `${label} must be hexadecimal (0-9, a-f)`],
  isArray: [/must be an array$/, (label) => `${label} must be a list`],
  arrayMaxSize: [/must contain no more than (\d+) elements$/, (label, m) => `${label} can hold at most ${m[1]} items`],
  arrayMinSize: [/must contain at least (\d+) elements$/, (label, m) => `${label} needs at least ${m[1]} items`],
  arrayUnique: [/All .*'s elements must be unique$/, (label) => `${label} must not list an item twice`],
  isObject: [/must be an object$/, (label) => `${label} must be an object with named fields`],
  isNotEmpty: [/should not be empty$/, (label) => `${label} is required`],
  isDefined: [/should not be null or undefined$/, (label) => `${label} is required`],
  matches: [/must match .* regular expression$/, (label) => `${label} is not in the expected format`],
  nestedValidation: [/must be either object or array$/, (label) => `${label} must be an object with named fields`],
};

/** A failed constraint's message as a person would say it (what a DTO worded itself is left as it is). */
export function humanMessage(path: string, constraint: string, message: string): string {
  if (constraint === 'whitelistValidation') return `Unknown field: ${path}`;
  const rewording = REWORDINGS[constraint];
  const match = rewording?.[0].exec(message);
  return rewording && match ? rewording[1](fieldLabel(path), match) : message;
}

function lengthSentence(label: string, match: RegExpExecArray): string {
  const [, side, first, second] = match;
  if (second) return `${label} must be ${first} to ${second} characters long`;
  if (side === 'shorter') return `${label} can be at most ${first} characters`;
  return first === '1' ? `${label} must not be empty` : `${label} must be at least ${first} characters`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
