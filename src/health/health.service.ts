// What a load balancer and an operator need to tell a sick instance: whether the database answers, whether
// this instance hears the others (the LISTEN connection), and how the workflow queue is doing.
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DatabaseNotifications } from '../database/database-notifications';
import { WorkflowQueue } from '../workflow/workflow.queue';
import { HealthChecksDto, HealthDto, LivenessDto, QueueCheckDto, ReadinessDto } from './health.dto';

const DATABASE_TIMEOUT_MS = 3000;

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly notifications: DatabaseNotifications,
    private readonly queue: WorkflowQueue,
  ) {}

  /** The Local IT Support API's health check: 503 when the database does not answer. */
  async check(): Promise<HealthDto> {
    const checks = await this.checks();
    const body: HealthDto = { status: checks.database.status === 'up' ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), checks };
    if (body.status === 'unhealthy') throw new ServiceUnavailableException({ message: 'The database is not reachable', ...body });
    return body;
  }

  /** Whether this instance should get traffic: the database answers, it hears the others, and it is not stopping. */
  async readiness(): Promise<ReadinessDto> {
    // Asked every few seconds by a load balancer: only what decides readiness, not the queue's figures.
    const database = await this.pingDatabase();
    const listener = this.notifications.status;
    const reasons: string[] = [];
    if (database.status !== 'up') reasons.push('the database is not reachable');
    if (listener.status === 'down') reasons.push(`the listener for other instances' commits is down since ${listener.since}`);
    if (this.queue.isStopping) reasons.push('the instance is shutting down');
    const timestamp = new Date().toISOString();
    if (reasons.length > 0) throw new ServiceUnavailableException({ message: `Not ready: ${reasons.join('; ')}`, status: 'not_ready', reasons, timestamp });
    return { status: 'ready', timestamp };
  }

  /** The process answers: nothing else is asked, so a database outage never gets an instance restarted. */
  liveness(): LivenessDto {
    return { status: 'alive', timestamp: new Date().toISOString() };
  }

  private async checks(): Promise<HealthChecksDto> {
    const [database, queue] = await Promise.all([this.pingDatabase(), this.queueCheck()]);
    return { database, listener: this.notifications.status, queue };
  }

  private async pingDatabase(): Promise<HealthChecksDto['database']> {
    try {
      const result = await this.health.check([() => this.database.pingCheck('database', { timeout: DATABASE_TIMEOUT_MS })]);
      return { ...(result.details.database ?? {}), status: 'up' };
    } catch (error) {
      const details = error instanceof ServiceUnavailableException ? (error.getResponse() as { details?: HealthChecksDto }).details : undefined;
      return { ...(details?.database ?? {}), status: 'down' };
    }
  }

  private async queueCheck(): Promise<QueueCheckDto> {
    try {
      return { status: 'up', ...(await this.queue.health()) };
    } catch {
      return { status: 'down' };
    }
  }
}
