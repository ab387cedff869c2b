import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength, Validate } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { PasswordStrength } from '../../common/password-strength';
import { textMessage } from '../../common/human-messages';

const EMAIL = textMessage({ missing: 'Enter your email address', notText: 'Enter your email address, like name@example.com', invalid: 'Enter a valid email address, like name@example.com', tooLong: 'The email address can be at most 320 characters' });
const PASSWORD = textMessage({ missing: 'Choose a password', tooShort: 'The password must be at least 8 characters', notText: 'The password must be text' });
const FULL_NAME = textMessage({ missing: 'Enter your full name', tooLong: 'Your name can be at most 200 characters', notText: 'Your name must be text' });
const EMPLOYEE_ID = textMessage({ missing: 'Enter your employee ID', invalid: 'Your employee ID can use only letters, digits, dots, dashes and underscores (at most 64)', notText: 'Your employee ID must be text' });

export class RegisterDto {
  /** @example "jane.doe@example.com" */
  @Trim() @IsEmail(undefined, EMAIL) @MaxLength(320, EMAIL)
  email: string;

  /**
   * At least 8 characters with a letter and a digit; at most 72 bytes (the bcrypt limit).
   * @example "Correct-Horse-42"
   */
  @IsString(PASSWORD) @MinLength(8, PASSWORD) @Validate(PasswordStrength)
  password: string;

  /** @example "Jane Doe" */
  @Trim() @IsString(FULL_NAME) @Length(1, 200, FULL_NAME)
  full_name: string;

  /** @example "EMP001" */
  @Trim() @IsString(EMPLOYEE_ID) @Matches(/^[A-Za-z0-9._-]{1,64}$/, EMPLOYEE_ID)
  employee_id: string;

  /** Where you work; staff see it on your requests. @example "Finance" */
  @IsOptional() @Trim() @IsString() @Length(1, 120)
  department?: string;
}
