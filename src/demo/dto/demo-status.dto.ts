import { Role } from '../../users/role.enum';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo-content';

export class DemoAccountDto {
  role: Role;
  /** @example "employee@demo.example.com" */
  email: string;
  /** @example "Erin Employee" */
  full_name: string;
}

/** Whether the demo is loaded, and how to sign in to it: the sign-in page shows this to newcomers. */
export class DemoStatusDto {
  enabled: boolean;
  /** The demo's accounts, one per role; empty when the demo is off. */
  accounts: DemoAccountDto[];
  /**
   * The demo accounts' password, published on purpose (README, start-up banner): the demo is refused in
   * production. Null when the demo is off.
   * @example "Demo-Desk-2026!"
   */
  password: string | null;
}

export function demoStatus(enabled: boolean): DemoStatusDto {
  if (!enabled) return { enabled: false, accounts: [], password: null };
  return {
    enabled: true,
    accounts: DEMO_ACCOUNTS.map((account) => ({ role: account.role, email: account.email, full_name: account.fullName })),
    password: DEMO_PASSWORD,
  };
}
