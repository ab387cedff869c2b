import { IsEnum } from 'class-validator';
import { Role } from '../role.enum';

export class UpdateRoleDto {
  @IsEnum(Role)
  role: Role;
}
