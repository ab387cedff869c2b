import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { textMessage } from '../../common/human-messages';

const EMAIL = textMessage({ missing: 'Enter your email address', notText: 'Enter your email address, like name@example.com', invalid: 'Enter a valid email address, like name@example.com', tooLong: 'The email address can be at most 320 characters' });
const PASSWORD = textMessage({ missing: 'Enter your password', tooLong: 'The password can be at most 200 characters', notText: 'The password must be text' });

/**
 * JSON `{email, password}`, or the OAuth2 password form (`username`, `password`, form-encoded) that
 * Swagger UI's Authorize button sends.
 */
export class LoginDto {
  /** @example "jane.doe@example.com" */
  @ValidateIf((dto: LoginDto) => dto.username === undefined) @IsEmail(undefined, EMAIL) @MaxLength(320, EMAIL)
  email?: string;

  /** The email, under the OAuth2 form's name for it. */
  @ValidateIf((dto: LoginDto) => dto.email === undefined) @IsEmail(undefined, EMAIL) @MaxLength(320, EMAIL)
  username?: string;

  /** @example "Correct-Horse-42" */
  @IsString(PASSWORD) @Length(1, 200, PASSWORD)
  password: string;

  @IsOptional() @IsIn(['password'], { message: 'grant_type can only be password' })
  grant_type?: string;

  @IsOptional() @IsString()
  scope?: string;

  @IsOptional() @IsString()
  client_id?: string;

  @IsOptional() @IsString()
  client_secret?: string;
}
