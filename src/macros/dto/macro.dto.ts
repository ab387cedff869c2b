import { IsBoolean, IsString, Length } from 'class-validator';
import { IsOmittable } from '../../common/omittable.decorator';
import { Trim } from '../../common/trim.decorator';
import { Macro } from '../macro.entity';

export class CreateMacroDto {
  /** Unique, whatever its case. @example "VPN: reinstall the client" */
  @Trim() @IsString() @Length(1, 100)
  name: string;

  /**
   * The reply, with placeholders filled in when it is used: {{requester.first_name}}, {{requester.name}},
   * {{requester.email}}, {{ticket.title}}, {{ticket.id}}, {{agent.first_name}}, {{agent.name}}.
   * @example "Hi {{requester.first_name}}, please reinstall the VPN client from the Software Center."
   */
  @Trim() @IsString() @Length(1, 5000)
  body: string;

  /** Sent as an internal note (staff only). */
  @IsOmittable() @IsBoolean()
  internal?: boolean;

  /** Sending it resolves the ticket, the reply becoming the resolution (not with `internal`). */
  @IsOmittable() @IsBoolean()
  resolve?: boolean;
}

export class UpdateMacroDto {
  @IsOmittable() @Trim() @IsString() @Length(1, 100)
  name?: string;

  @IsOmittable() @Trim() @IsString() @Length(1, 5000)
  body?: string;

  @IsOmittable() @IsBoolean()
  internal?: boolean;

  @IsOmittable() @IsBoolean()
  resolve?: boolean;
}

export class MacroDto {
  macro_id: string;
  name: string;
  body: string;
  internal: boolean;
  resolve: boolean;
  created_at: Date;
  updated_at: Date;
}

export class MacroListDto {
  /** By name. */
  macros: MacroDto[];
  count: number;
}

/** A macro filled in for one ticket and the agent using it: the text for the comment box, and what sending it does. */
export class RenderedMacroDto {
  macro_id: string;
  ticket_id: string;
  body: string;
  internal: boolean;
  resolve: boolean;
}

export function mapMacro(macro: Macro): MacroDto {
  return {
    macro_id: macro.id,
    name: macro.name,
    body: macro.body,
    internal: macro.internal,
    resolve: macro.resolve,
    created_at: macro.createdAt,
    updated_at: macro.updatedAt,
  };
}
