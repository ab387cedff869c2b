import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnvironment } from './environment';

// NestConfigModule loads an optional .env into process.env and fails fast on a bad value; AppConfig is
// the typed view of the same validated environment that the rest of the app injects.
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ validate: validateEnvironment, cache: true, envFilePath: '.env' })],
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(validateEnvironment(process.env)) }],
  exports: [AppConfig],
})
export class ConfigModule {}
