import { Role } from '../role.enum';
import { User } from '../user.entity';

/** Someone a ticket can be assigned to: an active support engineer or admin. */
export class AssignablePersonDto {
  user_id: string;
  /** @example "Sam Support" */
  name: string;
  email: string;
  role: Role;
}

export class AssignableListDto {
  /** By name. */
  users: AssignablePersonDto[];
}

export function mapAssignable(user: User): AssignablePersonDto {
  return { user_id: user.id, name: user.fullName, email: user.email, role: user.role };
}
