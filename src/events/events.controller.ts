import { BadRequestException, Controller, Headers, MessageEvent, Param, ParseUUIDPipe, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOAuth2, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { AllowQueryToken } from '../auth/query-token.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { StreamQueryDto } from './dto/stream-query.dto';
import { EventsService } from './events.service';

const STREAM_DESCRIPTION =
  'Server-Sent Events: `connected` first, then `workflow_update`, `hil_response`, `comment` and `error` ' +
  'events as JSON `data:` lines with an `id:`, and a `keepalive` every 30 s. A ticket a major incident holds also ' +
  'gets `incident_opened` or `incident_linked`, `incident_update` and `incident_resolved` (`incident_id` and a `message` ' +
  'for its requester); staff also see `incident_proposed` (with `title` and `reasons`), `incident_dismissed` and ' +
  '`incident_unlinked`. Reconnect with Last-Event-ID ' +
  '(or ?last_event_id=) to receive what you missed first. A stream lasts as long as the access it was opened ' +
  'with: it ends with a `stream_closed` message (`reason`: `token_expired`, `session_ended` or `access_changed`) ' +
  'when the access token expires, on logout or deactivation, and when your role changes; reconnect with a fresh ' +
  'token and Last-Event-ID. At most SSE_MAX_STREAMS_PER_USER streams per user (429 with Retry-After beyond).';
const ALL_STREAM_DESCRIPTION =
  STREAM_DESCRIPTION +
  ' This stream also carries a `notification` message when one of yours is created (on any instance): ' +
  '`{type: "notification", ticket_id, timestamp, notification}` with `notification` as GET /api/v1/notifications ' +
  'lists it. It is addressed to you alone, carries the id of the last event sent (like `keepalive`) and is not ' +
  'replayed on reconnect: read GET /api/v1/notifications again after `connected`.';
// On each method rather than the class: only there does it merge with the @Headers() parameter, which
// would otherwise be documented a second time, as required.
const LAST_EVENT_ID_HEADER = { name: 'Last-Event-ID', required: false, description: 'Resume after this event id' };

@ApiTags('events')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(400, 401, 429)
@AllowQueryToken()
@Controller('events')
export class EventsController {
  constructor(private readonly eventsService: EventsService) {}

  /** Live events of every ticket you may see (support dashboards: all tickets), and your new notifications. */
  @ApiOkResponse({ description: ALL_STREAM_DESCRIPTION, content: { 'text/event-stream': {} } })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @Sse()
  streamAll(@CurrentUser() user: AuthUser, @Query() query: StreamQueryDto, @Headers('Last-Event-ID') lastEventId?: string): Observable<MessageEvent> {
    return this.eventsService.streamAll(user, resumeFrom(lastEventId, query));
  }

  /** Live events of one ticket (its requester, or support and admin). */
  @ApiOkResponse({ description: STREAM_DESCRIPTION, content: { 'text/event-stream': {} } })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiErrors(404)
  @Sse(':ticket_id')
  streamTicket(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Query() query: StreamQueryDto,
    @Headers('Last-Event-ID') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    return this.eventsService.streamTicket(user, ticketId, resumeFrom(lastEventId, query));
  }
}

function resumeFrom(header: string | undefined, query: StreamQueryDto): number | undefined {
  if (header === undefined || header === '') return query.last_event_id;
  const id = /^\d{1,16}$/.test(header) ? Number(header) : NaN;
  if (!Number.isSafeInteger(id)) throw new BadRequestException(`Last-Event-ID must be an event id (an integer from 0 to ${Number.MAX_SAFE_INTEGER})`);
  return id;
}
