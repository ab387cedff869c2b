import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { TicketComment } from './ticket-comment.entity';
import { TicketEvent } from './ticket-event.entity';
import { TicketStatsRepository } from './ticket-stats.repository';
import { TicketStatsService } from './ticket-stats.service';
import { Ticket } from './ticket.entity';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { TicketWriter } from './ticket-writer.service';

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketComment, TicketEvent]), UsersModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketWriter, TicketsRepository, TicketStatsService, TicketStatsRepository],
  exports: [TicketsService, TicketWriter],
})
export class TicketsModule {}
