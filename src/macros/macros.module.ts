import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { Macro } from './macro.entity';
import { MacrosController, TicketMacrosController } from './macros.controller';
import { MacrosRepository } from './macros.repository';
import { MacrosService } from './macros.service';

/** Canned replies: kept by admins, filled in for a ticket by support. */
@Module({
  imports: [TypeOrmModule.forFeature([Macro]), TicketsModule, UsersModule],
  controllers: [MacrosController, TicketMacrosController],
  providers: [MacrosService, MacrosRepository],
})
export class MacrosModule {}
