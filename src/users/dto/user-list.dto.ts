import { IsEnum, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.dto';
import { Role } from '../role.enum';
import { UserDto } from './user.dto';

export class ListUsersQueryDto extends PaginationQueryDto {
  @IsOptional() @IsEnum(Role)
  role?: Role;
}

export class UserListDto {
  users: UserDto[];
  /** Users in this page. */
  count: number;
  /** Users matching the filter, over all pages. */
  total: number;
  limit: number;
  offset: number;
}
