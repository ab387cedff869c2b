import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { AssignableListDto } from './dto/assignable.dto';
import { UpdateRoleDto } from './dto/update-role.dto';
import { ListUsersQueryDto, UserListDto } from './dto/user-list.dto';
import { UserDto } from './dto/user.dto';
import { Role } from './role.enum';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401)
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  /** List users, oldest first (admin only). */
  @Roles(Role.Admin)
  @ApiErrors(400, 403)
  @Get()
  list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    return this.usersService.list(query);
  }

  /** Who a ticket can be assigned to: active support engineers and admins, by name (support and admin). */
  @Roles(Role.Support, Role.Admin)
  @ApiErrors(403)
  @Get('assignable')
  assignable(): Promise<AssignableListDto> {
    return this.usersService.listAssignable();
  }

  /** The signed-in user. */
  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.usersService.getActive(user.id);
  }

  /** Change a user's role (admin only); the last admin cannot be demoted. */
  @Roles(Role.Admin)
  @ApiErrors(400, 403, 404, 409)
  @Patch(':user_id/role')
  changeRole(@Param('user_id', ParseUUIDPipe) userId: string, @Body() dto: UpdateRoleDto): Promise<UserDto> {
    return this.usersService.changeRole(userId, dto.role);
  }

  /** Deactivate a user (admin only): they can no longer sign in and their tokens stop working; their history stays. */
  @Roles(Role.Admin)
  @ApiErrors(400, 403, 404, 409)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete(':user_id')
  remove(@Param('user_id', ParseUUIDPipe) userId: string): Promise<void> {
    return this.usersService.deactivate(userId);
  }
}
