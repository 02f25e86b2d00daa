import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeHandlers } from '../core/handlers/index';
import { Session } from '../core/session';
import { appDataDir, describeMove, moveLowerCaseSettings, settingsDir } from '../core/settings-dir';
import { startWebServer } from './web-server';
import pkg from '../../package.json';

/** `npm run web`: the workbench in a browser, on 127.0.0.1, on the demo or a given case file. */
export function defaultConfigDir(): string {
  if (!process.env.CASEFILE_CONFIG_DIR) {
    const moved = describeMove(moveLowerCaseSettings(appDataDir()));
    if (moved) console.log(moved);
  }
  return settingsDir();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      port: { type: 'string', default: '0' },
      'config-dir': { type: 'string' },
      static: { type: 'string' },
    },
  });
  const root = resolve(import.meta.dirname, '../..');
  const staticDir = resolve(values.static ?? join(root, 'out/renderer'));
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error(`the workbench is not built (${staticDir}); run "npm run build"`);
  const configDir = values['config-dir'] ?? defaultConfigDir();
  const session = new Session(configDir, 'browser');
  const file = values.file ? resolve(values.file) : join(configDir, 'demo.casefile');
  await session.openOrCreateDemo(file);
  const server = await startWebServer({
    session,
    handlers: makeHandlers(session, pkg.version),
    staticDir,
    port: Number(values.port),
  });
  console.log(`Casefile (browser mode) on ${file}`);
  console.log(`Open: ${server.url}`);
  const stop = async () => {
    await server.close();
    session.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`casefile: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
