import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppLogger } from './common/app-logger';
import { StartupNotices, startupBanner } from './common/startup-banner';
import { AppConfig } from './config/app-config';
import { consoleDirectory } from './console/serve-console';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get(AppConfig);
  try {
    configureApp(app);
    await app.listen(config.port, config.host);
  } catch (error) {
    // Close the database cleanly (the embedded one especially) before giving up.
    await app.close();
    throw error;
  }
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Last on the screen: below every start-up log line, which pino writes out asynchronously.
  await app.get(AppLogger).written();
  process.stdout.write(
    startupBanner({
      url: `http://${shown}:${config.port}`,
      consoleServed: config.consoleEnabled && consoleDirectory() !== null,
      docsServed: config.swaggerEnabled,
      notices: app.get(StartupNotices).all(),
    }),
  );
}

bootstrap().catch((error: unknown) => {
  // Configuration and database errors already say what is wrong; a stack trace would bury it.
  process.stderr.write(`\nCould not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
