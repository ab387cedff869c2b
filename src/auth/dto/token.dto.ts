export class TokenDto {
  access_token: string;
  /** @example "bearer" */
  token_type: 'bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  /** Single use: exchange it at /auth/refresh for a new pair. */
  refresh_token: string;
}
