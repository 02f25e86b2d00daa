// electron-builder's afterPack hook: sets Electron's fuses in the packaged binary, before signing.
// Fuses are switches compiled into Electron that no command line or environment variable can turn
// back on (https://www.electronjs.org/docs/latest/tutorial/fuses). Casefile opens hostile PDFs and
// HTML: nothing may turn the shipped app into a plain Node, attach a debugger, or load code from
// outside the checked asar.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

export const FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE is ignored: the app is never a Node interpreter for whoever starts it.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // macOS and Windows check app.asar against the hash electron-builder embeds; Linux has no check.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Pages are served from app://casefile/, never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The file that carries the fuse wire, for the platform being packed. */
export function electronBinary(
  context: Pick<AfterPackContext, 'electronPlatformName' | 'appOutDir' | 'packager'>,
): string {
  const { electronPlatformName, appOutDir, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, (packager as unknown as { executableName: string }).executableName);
}

export async function afterPack(
  context: Pick<AfterPackContext, 'electronPlatformName' | 'appOutDir' | 'packager'>,
): Promise<void> {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  // Flipping a fuse breaks the ad-hoc signature of an arm64 macOS binary: re-sign it ad hoc
  // (the real signature, where there is one, comes after this hook).
  await flipFuses(electronBinary(context), { ...FUSES, resetAdHocDarwinSignature: mac });
}
