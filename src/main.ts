import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
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
  const url = `http://${shown}:${config.port}`;
  const consoleLine = config.consoleEnabled && consoleDirectory() ? `\n  Console: ${url}/` : '';
  process.stdout.write(`\n  IT Support Desk API listening on ${url}${consoleLine}\n  Docs: ${url}/docs (ReDoc: ${url}/redoc)\n\n`);
}

bootstrap().catch((error: unknown) => {
  // Configuration and database errors already say what is wrong; a stack trace would bury it.
  process.stderr.write(`\nCould not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
