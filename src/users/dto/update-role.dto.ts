import { IsEnum } from 'class-validator';
import { Role } from '../role.enum';
import { choiceMessage } from '../../common/human-messages';

export class UpdateRoleDto {
  @IsEnum(Role, choiceMessage('Choose a role', Role))
  role: Role;
}
