import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { UpdateRoleDto } from './dto/update-role.dto';
import { ListUsersQueryDto, UserListDto } from './dto/user-list.dto';
import { UserDto } from './dto/user.dto';
import { Role } from './role.enum';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiOAuth2([])
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  /** List users, oldest first (admin only). */
  @Roles(Role.Admin)
  @Get()
  list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    return this.usersService.list(query);
  }

  /** The signed-in user. */
  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.usersService.getActive(user.id);
  }

  /** Change a user's role (admin only); the last admin cannot be demoted. */
  @Roles(Role.Admin)
  @ApiConflictResponse({ description: 'The user is the last admin' })
  @Patch(':user_id/role')
  changeRole(@Param('user_id', ParseUUIDPipe) userId: string, @Body() dto: UpdateRoleDto): Promise<UserDto> {
    return this.usersService.changeRole(userId, dto.role);
  }

  /** Deactivate a user (admin only): they can no longer sign in and their tokens stop working; their history stays. */
  @Roles(Role.Admin)
  @ApiConflictResponse({ description: 'The user is the last admin' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete(':user_id')
  remove(@Param('user_id', ParseUUIDPipe) userId: string): Promise<void> {
    return this.usersService.deactivate(userId);
  }
}
