import { ApiProperty } from '@nestjs/swagger';

/** The one error body every failure has (see HttpErrorFilter). */
export class ErrorDto {
  /** @example 409 */
  statusCode: number;
  /** @example "Conflict" */
  error: string;
  @ApiProperty({
    description: 'One message, or one per problem for a validation error (400)',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'A user with this email already exists',
  })
  message: string | string[];
  /** The message(s) as one string. @example "A user with this email already exists" */
  detail: string;
  /**
   * Why a command refused, for clients to branch on (only on refusals that have one): `ticket_closed`,
   * `stale_claim`, `no_longer_waiting`, `approval_settled`, `plan_changed`, `reply_window_closed`.
   * @example "approval_settled"
   */
  code?: string;
}
