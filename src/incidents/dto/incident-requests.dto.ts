import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, IsUUID, Length, Matches } from 'class-validator';
import { textMessage } from '../../common/human-messages';
import { IsOmittable } from '../../common/omittable.decorator';
import { Trim } from '../../common/trim.decorator';
import { INCIDENT_STATUSES } from './incident.dto';

const STATUS_LIST = new RegExp(`^(${INCIDENT_STATUSES.join('|')})(,(${INCIDENT_STATUSES.join('|')}))*$`);

const TITLE = textMessage({ missing: 'Give the incident a title', tooLong: 'Keep the title under 200 characters', notText: 'The title must be text' });

export class ListIncidentsDto {
  /** Only these statuses, comma separated (default: all): proposed, open, resolved, dismissed. @example "proposed,open" */
  @IsOmittable()
  @Matches(STATUS_LIST, { message: `Choose statuses among ${INCIDENT_STATUSES.join(', ')}, comma separated` })
  status?: string;

  /** The incident this ticket is part of. */
  @IsOmittable() @IsUUID('all', { message: 'ticket_id must be a ticket id' })
  ticket_id?: string;
}

export class ConfirmIncidentDto {
  /** A better title, for support and the record (requesters are never shown other people's words). */
  @IsOmittable() @Trim() @IsString(TITLE) @Length(1, 200, TITLE)
  title?: string;
}

export class CreateIncidentDto {
  @Trim() @IsString(TITLE) @Length(1, 200, TITLE)
  title: string;

  /** The tickets it starts with (none may be in another proposed or open incident). */
  @IsArray({ message: 'Choose the tickets: ticket_ids is a list of ticket ids' })
  @ArrayMinSize(1, { message: 'Choose at least one ticket' })
  @ArrayMaxSize(500, { message: 'Choose at most 500 tickets; link more afterwards' })
  @ArrayUnique({ message: 'Each ticket once' })
  @IsUUID('all', { each: true, message: 'ticket_ids must be ticket ids' })
  ticket_ids: string[];
}

export class IncidentTicketRefDto {
  @IsUUID('all', { message: 'ticket_id must be a ticket id' })
  ticket_id: string;
}

const BODY = textMessage({ missing: 'Write the update', tooLong: 'Keep the update under 5000 characters', notText: 'The update must be text' });

export class PostIncidentUpdateDto {
  /** What every requester of the incident reads on their ticket. @example "The VPN gateway is being restarted; expect it back by 10:30." */
  @Trim() @IsString(BODY) @Length(1, 5000, BODY)
  body: string;
}

const RESOLUTION = textMessage({ missing: 'Say how it was fixed: every requester reads it', tooLong: 'Keep the resolution under 5000 characters', notText: 'The resolution must be text' });

export class ResolveIncidentDto {
  /** The resolution every linked ticket gets. @example "The VPN gateway was restarted; reconnect and it works." */
  @Trim() @IsString(RESOLUTION) @Length(1, 5000, RESOLUTION)
  resolution: string;
}
