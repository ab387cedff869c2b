// Canned replies: admins keep them, support fills one in for a ticket. Rendering writes nothing: the text goes
// to the comment box, and the engineer sends it, edited or not, through the ticket's own routes.
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { TicketsService } from '../tickets/tickets.service';
import { UsersService } from '../users/users.service';
import { CreateMacroDto, MacroDto, MacroListDto, mapMacro, RenderedMacroDto, UpdateMacroDto } from './dto/macro.dto';
import { fillPlaceholders, KNOWN_PLACEHOLDERS, unknownPlaceholders } from './macro-placeholders';
import { MacroFields, MacrosRepository } from './macros.repository';

const UNIQUE_VIOLATION = '23505';

export type Agent = Pick<AuthUser, 'id' | 'role' | 'employeeId' | 'fullName'>;

@Injectable()
export class MacrosService {
  constructor(
    private readonly macrosRepository: MacrosRepository,
    private readonly ticketsService: TicketsService,
    private readonly usersService: UsersService,
  ) {}

  async list(): Promise<MacroListDto> {
    const macros = await this.macrosRepository.findAll();
    return { macros: macros.map(mapMacro), count: macros.length };
  }

  async create(dto: CreateMacroDto): Promise<MacroDto> {
    const fields: MacroFields = { name: dto.name, body: dto.body, internal: dto.internal ?? false, resolve: dto.resolve ?? false };
    assertUsable(fields);
    await this.assertNameFree(fields.name);
    return mapMacro(await this.saving(fields.name, () => this.macrosRepository.insert(fields)));
  }

  async update(macroId: string, dto: UpdateMacroDto): Promise<MacroDto> {
    const changes = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<MacroFields>;
    if (Object.keys(changes).length === 0) throw new BadRequestException('Nothing to update: give name, body, internal or resolve');
    const current = await this.macrosRepository.findById(macroId);
    if (!current) throw notFound(macroId);
    assertUsable({ ...current, ...changes });
    if (changes.name !== undefined) await this.assertNameFree(changes.name, macroId);
    const updated = await this.saving(changes.name ?? current.name, () => this.macrosRepository.update(macroId, changes));
    if (!updated) throw notFound(macroId);
    return mapMacro(updated);
  }

  async remove(macroId: string): Promise<void> {
    if (!(await this.macrosRepository.delete(macroId))) throw notFound(macroId);
  }

  /** The macro filled in for the ticket (which the agent must be able to see) and the agent. */
  async render(agent: Agent, ticketId: string, macroId: string): Promise<RenderedMacroDto> {
    const ticket = await this.ticketsService.get(agent, ticketId);
    const macro = await this.macrosRepository.findById(macroId);
    if (!macro) throw notFound(macroId);
    const requester = await this.usersService.findById(ticket.requester_id);
    const body = fillPlaceholders(macro.body, {
      ticket: { id: ticket.ticket_id, title: ticket.title },
      requester: { fullName: requester?.full_name ?? '', email: requester?.email ?? '' },
      agent: { fullName: agent.fullName },
    });
    return { macro_id: macro.id, ticket_id: ticket.ticket_id, body, internal: macro.internal, resolve: macro.resolve };
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const holder = await this.macrosRepository.findByName(name);
    if (holder && holder.id !== exceptId) throw new ConflictException({ message: `A macro named "${holder.name}" already exists`, macro_id: holder.id });
  }

  /** Two saves racing for one name: the unique index decides, and the loser is told as if it had checked. */
  private async saving<T>(name: string, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) await this.assertNameFree(name);
      throw error;
    }
  }
}

function assertUsable(macro: MacroFields): void {
  const problems: string[] = [];
  const unknown = unknownPlaceholders(macro.body);
  if (unknown.length > 0) problems.push(`body has unknown placeholders: ${unknown.join(', ')}; the known ones are ${KNOWN_PLACEHOLDERS.join(', ')}`);
  if (macro.internal && macro.resolve) problems.push('A macro cannot both be an internal note and resolve the ticket: the resolution is shown to the requester');
  if (problems.length > 0) throw new BadRequestException(problems);
}

function notFound(macroId: string): NotFoundException {
  return new NotFoundException(`Macro ${macroId} not found`);
}
