import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../users/role.enum';
import { TicketSlaDto } from './dto/ticket-sla.dto';
import { SlaService } from './sla.service';

@ApiTags('sla')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Support, Role.Admin)
@Controller('tickets')
export class TicketSlaController {
  constructor(private readonly slaService: SlaService) {}

  /** The ticket's service levels now: each metric's state, working time consumed, due time, warnings and pauses. */
  @ApiErrors(400, 404, 409)
  @Get(':ticket_id/sla')
  ticketSla(@Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<TicketSlaDto> {
    return this.slaService.ticketSla(ticketId);
  }
}
