import { IsEmail, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * JSON `{email, password}`, or the OAuth2 password form (`username`, `password`, form-encoded) that
 * Swagger UI's Authorize button sends.
 */
export class LoginDto {
  /** @example "jane.doe@example.com" */
  @ValidateIf((dto: LoginDto) => dto.username === undefined) @IsEmail() @MaxLength(320)
  email?: string;

  /** The email, under the OAuth2 form's name for it. */
  @ValidateIf((dto: LoginDto) => dto.email === undefined) @IsEmail() @MaxLength(320)
  username?: string;

  /** @example "Correct-Horse-42" */
  @IsString() @MaxLength(200)
  password: string;

  @IsOptional() @IsIn(['password'])
  grant_type?: string;

  @IsOptional() @IsString()
  scope?: string;

  @IsOptional() @IsString()
  client_id?: string;

  @IsOptional() @IsString()
  client_secret?: string;
}
