import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { HealthDto, LivenessDto, ReadinessDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  /** The Local IT Support API's health check, plus the database, the listener for other instances and the workflow queue. */
  @Public()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database does not answer' })
  @Get('health')
  check(): Promise<HealthDto> {
    return this.healthService.check();
  }

  /** The same check under the API prefix. */
  @Public()
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database does not answer' })
  @Get('api/v1/health')
  checkVersioned(): Promise<HealthDto> {
    return this.healthService.check();
  }

  /** Readiness, for a load balancer: 503 while the database is unreachable, the listener is down or the instance is stopping. */
  @Public()
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'The instance should get no traffic now; `reasons` says why' })
  @Get('health/ready')
  ready(): Promise<ReadinessDto> {
    return this.healthService.readiness();
  }

  /** Liveness: the process answers. It asks nothing of the database, so an outage never gets instances restarted. */
  @Public()
  @ApiOkResponse({ type: LivenessDto })
  @Get('health/live')
  live(): LivenessDto {
    return this.healthService.liveness();
  }
}
