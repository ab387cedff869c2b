import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

const BCRYPT_MAX_BYTES = 72;

/** A letter and a digit, and no more than bcrypt reads (longer passwords would be silently truncated). */
@ValidatorConstraint({ name: 'passwordStrength' })
export class PasswordStrength implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      typeof value === 'string' &&
      /\p{L}/u.test(value) &&
      /\p{N}/u.test(value) &&
      Buffer.byteLength(value, 'utf8') <= BCRYPT_MAX_BYTES
    );
  }

  defaultMessage(): string {
    return `The password needs at least one letter and one digit, and can be at most ${BCRYPT_MAX_BYTES} bytes long (72 plain letters)`;
  }
}
