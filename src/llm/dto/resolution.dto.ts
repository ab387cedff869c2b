import { TicketSuggestionDto } from '../../tickets/dto/ticket.dto';

export class ResolutionDto extends TicketSuggestionDto {
  ticket_id: string;
}
