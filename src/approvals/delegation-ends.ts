// A delegation hands approvals to someone who may decide them: when the delegate is demoted below support
// or deactivated, the delegations to them end for good (made support again, nothing is handed back).
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Propagation, Transactional } from '@nestjs-cls/transactional';
import { ACCESS_CHANGED, AccessChangedSignal } from '../users/access-changed';
import { ApprovalsRepository } from './approvals.repository';

@Injectable()
export class DelegationEnds {
  private readonly logger = new Logger(DelegationEnds.name);

  constructor(private readonly approvalsRepository: ApprovalsRepository) {}

  /** Emitted after the change commits; the repository re-reads the user, so a signal for a logout changes nothing. */
  @OnEvent(ACCESS_CHANGED, { async: true, promisify: true })
  async onAccessChanged(signal: AccessChangedSignal): Promise<void> {
    if (signal.sessionId) return;
    try {
      const ended = await this.endDelegationsTo(signal.userId);
      if (ended > 0) this.logger.log(`Ended ${ended} delegation(s) to user ${signal.userId}, who may no longer decide approvals`);
    } catch (error) {
      this.logger.warn(`Could not end the delegations to user ${signal.userId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // A transaction of its own: the signal arrives after the change's transaction has committed.
  @Transactional(Propagation.RequiresNew)
  private endDelegationsTo(userId: string): Promise<number> {
    return this.approvalsRepository.endDelegationsToUnqualified(userId);
  }
}
