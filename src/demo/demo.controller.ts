import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { DemoStatusDto, demoStatus } from './dto/demo-status.dto';

@ApiTags('demo')
@Controller('demo')
export class DemoController {
  constructor(private readonly config: AppConfig) {}

  /** Whether the demo is loaded (DEMO=true, never in production) and its published sign-in details, for the sign-in page. */
  @Public()
  @Get()
  status(): DemoStatusDto {
    return demoStatus(this.config.demo);
  }
}
