import { Module } from '@nestjs/common';
import { TrailRepository } from './trail.repository';

/** Reading the committed trail of ticket events: the commit frontier and the projections' checkpoints. */
@Module({
  providers: [TrailRepository],
  exports: [TrailRepository],
})
export class TrailModule {}
