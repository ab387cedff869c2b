export class HealthCheckDto {
  /** @example "up" */
  status: string;
  message?: string;
}

export class HealthDto {
  /** @example "healthy" */
  status: 'healthy' | 'unhealthy';
  /** @example "2024-01-10T10:00:00.000Z" */
  timestamp: string;
  checks: Record<string, HealthCheckDto>;
}
