import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { HealthDto } from './health.dto';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** The Local IT Support API's health check, plus whether the database answers. */
  @Public()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database does not answer' })
  @Get('health')
  check(): Promise<HealthDto> {
    return this.probe();
  }

  /** The same check under the API prefix. */
  @Public()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database does not answer' })
  @Get('api/v1/health')
  checkVersioned(): Promise<HealthDto> {
    return this.probe();
  }

  private async probe(): Promise<HealthDto> {
    try {
      const result = await this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
      return { status: 'healthy', timestamp: new Date().toISOString(), checks: result.details };
    } catch (error) {
      const details = error instanceof ServiceUnavailableException ? (error.getResponse() as { details?: HealthDto['checks'] }).details : undefined;
      throw new ServiceUnavailableException({
        message: 'The database is not reachable',
        status: 'unhealthy',
        timestamp: new Date().toISOString(),
        checks: details ?? { database: { status: 'down' } },
      });
    }
  }
}
