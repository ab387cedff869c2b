import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength, Validate } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { PasswordStrength } from '../../common/password-strength';

export class RegisterDto {
  /** @example "jane.doe@example.com" */
  @Trim() @IsEmail() @MaxLength(320)
  email: string;

  /**
   * At least 8 characters with a letter and a digit; at most 72 bytes (the bcrypt limit).
   * @example "Correct-Horse-42"
   */
  @IsString() @MinLength(8) @Validate(PasswordStrength)
  password: string;

  /** @example "Jane Doe" */
  @Trim() @IsString() @Length(1, 200)
  full_name: string;

  /** @example "EMP001" */
  @Trim() @IsString() @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'employee_id must be 1 to 64 letters, digits, dots, dashes or underscores',
  })
  employee_id: string;

  /** Where you work; staff see it on your requests. @example "Finance" */
  @IsOptional() @Trim() @IsString() @Length(1, 120)
  department?: string;
}
