import { ApiProperty } from '@nestjs/swagger';

/** One invalid field of a request, for a client to show beside it. */
export class FieldErrorDto {
  /** The field's path in the body or query; a nested one is dotted (`steps.0.name`). @example "title" */
  field: string;
  /** What is wrong, said as a person would. @example "Give your request a title" */
  message: string;
}

/** The one error body every failure has (see HttpErrorFilter). */
export class ErrorDto {
  /** @example 409 */
  statusCode: number;
  /** @example "Conflict" */
  error: string;
  @ApiProperty({
    description: 'One message, or one per problem for a validation error (400), said as a person would',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'A user with this email already exists',
  })
  message: string | string[];
  /** The message(s) as one string. @example "A user with this email already exists" */
  detail: string;
  /** On a validation error (400): each problem with the field it concerns, in the order of `message`. */
  errors?: FieldErrorDto[];
  /**
   * Why a command refused, for clients to branch on (only on refusals that have one): `ticket_closed`,
   * `stale_claim`, `no_longer_waiting`, `approval_settled`, `plan_changed`, `reply_window_closed`.
   * @example "approval_settled"
   */
  code?: string;
}
