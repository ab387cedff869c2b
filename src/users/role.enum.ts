/** The IT Ticketing System's roles: users file and follow their own tickets, support works all tickets, admin also manages users. */
export enum Role {
  User = 'user',
  Support = 'support',
  Admin = 'admin',
}

export const STAFF_ROLES: readonly Role[] = [Role.Support, Role.Admin];
