import { IsEnum, IsOptional } from 'class-validator';
import { CursorPageQueryDto } from '../../common/pagination.dto';
import { Role } from '../role.enum';
import { UserDto } from './user.dto';

export class ListUsersQueryDto extends CursorPageQueryDto {
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
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}
