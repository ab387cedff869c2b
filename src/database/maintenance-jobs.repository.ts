import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from './transactional.repository';

@Injectable()
export class MaintenanceJobsRepository extends TransactionalRepository {
  /** True for the one caller that finds the job due (never run, or last run `everyMs` ago or more) and marks it run. */
  async claim(name: string, everyMs: number): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO maintenance_jobs (name, last_run_at) VALUES ($1, now())
       ON CONFLICT (name) DO UPDATE SET last_run_at = now()
       WHERE maintenance_jobs.last_run_at <= now() - $2::double precision * interval '1 millisecond'
       RETURNING name`,
      [name, everyMs],
    );
    return rows.length === 1;
  }
}
