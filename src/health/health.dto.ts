export class HealthCheckDto {
  /** @example "up" */
  status: string;
  message?: string;
}

export class ListenerCheckDto {
  /** `in-process` on the embedded database, where one process needs no listener. @example "up" */
  status: 'up' | 'down' | 'in-process';
  /** Since when the listener has been down. */
  since?: string;
}

export class QueueCheckDto {
  /** @example "up" */
  status: 'up' | 'down';
  /** Workflow runs queued and not yet claimed, on all instances. @example 0 */
  waiting?: number;
  /** Seconds the oldest queued run has waited; null when none waits. */
  oldest_wait_seconds?: number | null;
  /** Runs executing now, on all instances. @example 2 */
  running?: number;
  /** Runs executing on this instance. @example 1 */
  running_here?: number;
  /** How many runs this instance may execute at once (0: it runs none). @example 10 */
  slots_here?: number;
}

export class HealthChecksDto {
  database: HealthCheckDto;
  /** The connection that hears other instances' commits (LISTEN/NOTIFY). */
  listener: ListenerCheckDto;
  /** The workflow run queue. */
  queue: QueueCheckDto;
}

export class HealthDto {
  /** `unhealthy` (with 503) when the database does not answer. @example "healthy" */
  status: 'healthy' | 'unhealthy';
  /** @example "2024-01-10T10:00:00.000Z" */
  timestamp: string;
  checks: HealthChecksDto;
}

export class ReadinessDto {
  /** @example "ready" */
  status: 'ready' | 'not_ready';
  /** Why the instance should get no traffic now (only when not ready). */
  reasons?: string[];
  /** @example "2024-01-10T10:00:00.000Z" */
  timestamp: string;
}

export class LivenessDto {
  /** @example "alive" */
  status: 'alive';
  /** @example "2024-01-10T10:00:00.000Z" */
  timestamp: string;
}
