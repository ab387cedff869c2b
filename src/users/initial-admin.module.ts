import { Module } from '@nestjs/common';
import { InitialAdmin } from './initial-admin';
import { UsersModule } from './users.module';

/**
 * Creates the first admin when the app starts. A module of its own, imported by the app only: anything
 * else that needs users (tickets, and through them `npm run kb:reembed`) must not create accounts.
 */
@Module({
  imports: [UsersModule],
  providers: [InitialAdmin],
})
export class InitialAdminModule {}
