// Nest's logger through pino (nestjs-pino), with the framework's start-up wiring — every module loaded,
// every route mapped, ~100 lines — at debug level (LOG_LEVEL=debug shows it): at info it buries what a
// person starting the server needs to read.
import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { symbols } from 'pino';

/** Nest's own contexts whose info records describe wiring, not anything that happened. */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

@Injectable()
export class AppLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && WIRING_CONTEXTS.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }

  /** Resolves once every record logged so far has been written out: pino writes asynchronously. */
  written(): Promise<void> {
    const pino = this.logger.logger;
    const destination = (pino as unknown as Record<symbol, PinoDestination>)[symbols.streamSym];
    return new Promise((resolve) =>
      pino.flush(() => {
        // A transport's flush waits for its thread; stdout's SonicBoom calls back at once, even with a
        // write still in flight, and says it is done with 'drain'.
        if (!destination?._writing) return resolve();
        destination.once('drain', () => resolve());
        destination.once('error', () => resolve());
      }),
    );
  }
}

/** What `written()` needs of pino's destination: SonicBoom's in-flight flag and events (absent on a transport's stream). */
interface PinoDestination {
  _writing?: boolean;
  once(event: 'drain' | 'error', listener: () => void): unknown;
}
