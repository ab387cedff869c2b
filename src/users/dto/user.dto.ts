import { Role } from '../role.enum';
import { User } from '../user.entity';

export class UserDto {
  /** @example "6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10" */
  id: string;
  /** @example "jane.doe@example.com" */
  email: string;
  /** @example "Jane Doe" */
  full_name: string;
  /** @example "EMP001" */
  employee_id: string;
  /** @example "Finance" */
  department: string | null;
  role: Role;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

export function mapUser(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    employee_id: user.employeeId,
    department: user.department,
    role: user.role,
    is_active: user.isActive,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
