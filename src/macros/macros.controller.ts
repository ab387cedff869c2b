import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../users/role.enum';
import { CreateMacroDto, MacroDto, MacroListDto, RenderedMacroDto, UpdateMacroDto } from './dto/macro.dto';
import { MacrosService } from './macros.service';

@ApiTags('macros')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Admin)
@Controller('macros')
export class MacrosController {
  constructor(private readonly macrosService: MacrosService) {}

  /** The canned replies, by name (support and admin). */
  // The handler's roles replace the class's: RolesGuard reads the handler first (getAllAndOverride).
  @Roles(Role.Support, Role.Admin)
  @Get()
  list(): Promise<MacroListDto> {
    return this.macrosService.list();
  }

  /** Add a canned reply (admin); its placeholders must be known ones. */
  @ApiErrors(400, 409)
  @Post()
  create(@Body() dto: CreateMacroDto): Promise<MacroDto> {
    return this.macrosService.create(dto);
  }

  /** Change a canned reply (admin). */
  @ApiErrors(400, 404, 409)
  @Patch(':macro_id')
  update(@Param('macro_id', ParseUUIDPipe) macroId: string, @Body() dto: UpdateMacroDto): Promise<MacroDto> {
    return this.macrosService.update(macroId, dto);
  }

  /** Remove a canned reply (admin). */
  @ApiErrors(400, 404)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete(':macro_id')
  remove(@Param('macro_id', ParseUUIDPipe) macroId: string): Promise<void> {
    return this.macrosService.remove(macroId);
  }
}

@ApiTags('macros')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Support, Role.Admin)
@Controller('tickets/:ticket_id/macros')
export class TicketMacrosController {
  constructor(private readonly macrosService: MacrosService) {}

  /**
   * A canned reply filled in for this ticket and you (support and admin), for the comment box: nothing is
   * sent or stored; send it, edited or not, as a comment (or with PATCH, when it resolves the ticket).
   */
  @ApiErrors(400, 404)
  @HttpCode(HttpStatus.OK)
  @Post(':macro_id/render')
  render(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Param('macro_id', ParseUUIDPipe) macroId: string,
  ): Promise<RenderedMacroDto> {
    return this.macrosService.render(user, ticketId, macroId);
  }
}
