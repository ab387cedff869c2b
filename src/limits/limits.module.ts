import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LimitsRepository } from './limits.repository';
import { LimitsService } from './limits.service';
import { UserActionCount } from './user-action-count.entity';
import { UserLimitGuard } from './user-limit.guard';

/** Global so that any controller can mark a route with @LimitPerUser(). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserActionCount])],
  providers: [LimitsService, LimitsRepository, UserLimitGuard],
  exports: [LimitsService, UserLimitGuard],
})
export class LimitsModule {}
