// What a person starting the server must read — where it runs, and the first admin's password or the demo
// accounts — printed by main.ts as the last thing at start-up, below every log line, so that it stays on
// screen instead of scrolling away. Start-up code hands its lines to StartupNotices instead of printing.
import { Global, Injectable, Module } from '@nestjs/common';

@Injectable()
export class StartupNotices {
  private readonly notices: string[] = [];

  /** `lines`, shown once in the banner (never logged: they may hold a password meant for this screen only). */
  add(...lines: string[]): void {
    this.notices.push(lines.map((line) => `  ${line}`).join('\n'));
  }

  all(): readonly string[] {
    return this.notices;
  }
}

@Global()
@Module({ providers: [StartupNotices], exports: [StartupNotices] })
export class StartupNoticesModule {}

export interface BannerFacts {
  url: string;
  consoleServed: boolean;
  docsServed: boolean;
  notices: readonly string[];
}

export function startupBanner({ url, consoleServed, docsServed, notices }: BannerFacts): string {
  const lines = [`  IT Support Desk API listening on ${url}`];
  if (consoleServed) lines.push(`  Console:  ${url}/`);
  if (docsServed) lines.push(`  API docs: ${url}/docs (ReDoc: ${url}/redoc)`);
  return `\n${[lines.join('\n'), ...notices].join('\n\n')}\n\n`;
}
