// Housekeeping that must run once per period across all instances, not once per instance: each instance
// ticks, and the one whose claim moves the job's `last_run_at` forward does the work. The claim is a single
// row update, so two instances ticking at the same moment cannot both win.
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { MaintenanceJobsRepository } from './maintenance-jobs.repository';

/** How often an instance looks whether a job is due, at most (a job's period may be shorter). */
const MAX_TICK_MS = 5 * 60 * 1000;

@Injectable()
export class MaintenanceJobs implements OnApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly logger = new Logger(MaintenanceJobs.name);

  constructor(private readonly jobsRepository: MaintenanceJobsRepository) {}

  /** Runs `work` about every `everyMs` on one instance of all; its number is logged as what it cleaned up. */
  schedule(name: string, everyMs: number, work: () => Promise<number>): void {
    const tick = async () => {
      try {
        if (!(await this.jobsRepository.claim(name, everyMs))) return;
        const done = await work();
        if (done > 0) this.logger.log(`${name}: ${done} removed`);
      } catch (error) {
        this.logger.warn(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const timer = setInterval(() => void tick(), Math.min(everyMs, MAX_TICK_MS));
    timer.unref();
    this.timers.push(timer);
  }

  onApplicationShutdown(): void {
    this.timers.forEach((timer) => clearInterval(timer));
  }
}
