// Installers (`npm run dist`): NSIS for Windows, dmg for macOS (x64 and arm64), AppImage and deb
// for Linux. `npm run dist` first builds the app (out/), the icons (build/, from
// resources/icon/icon.png) and the third-party notices (build/THIRD_PARTY_NOTICES.txt).
// tests/unit/runtime/builder-config.test.ts checks this file against electron-builder's schema.
import type { Configuration } from 'electron-builder';
import { afterPack } from './scripts/after-pack';

export const config = {
  appId: 'org.casefile.workbench',
  productName: 'Casefile',
  copyright: 'Copyright © Casefile contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // What the app loads at run time: the built bundles and package.json. electron-builder adds the
  // production dependencies (package.json "dependencies": what out/main imports; everything the
  // renderer and preload use is bundled into out/, so it is a devDependency and is not copied).
  files: [
    'out/**/*',
    '!out/**/*.map',
    'package.json',
    // better-sqlite3: the prebuilt binary for the platform being packed, not the C sources or the
    // other platforms' binaries. pdf.js's optional canvas addon only renders pages: Casefile
    // reads their text.
    '!node_modules/better-sqlite3/{deps,src,binding.gyp}',
    '!node_modules/better-sqlite3/prebuilds/*.node',
    'node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node',
    '!node_modules/@napi-rs/**',
    // What the main process never loads: source maps, type declarations, exceljs's browser
    // bundles, pdf.js's modern build and viewer (the main process imports its legacy build).
    '!node_modules/**/*.{map,d.ts,d.mts,md}',
    '!node_modules/exceljs/dist/**',
    '!node_modules/pdfjs-dist/{build,web,types,image_decoders}/**',
  ],
  // The bundled CSL styles are read from disk by the main process (src/core/biblio/citeproc-node.ts
  // looks in <resources>/resources/csl); the notices go beside app.asar.
  extraResources: [
    { from: 'resources/csl', to: 'resources/csl', filter: ['*.csl', '*.xml'] },
    { from: 'build/THIRD_PARTY_NOTICES.txt', to: 'THIRD_PARTY_NOTICES.txt' },
  ],
  asar: true,
  // A native addon cannot be loaded from inside an archive.
  asarUnpack: ['node_modules/better-sqlite3/**'],
  // better-sqlite3 13 is an N-API addon with prebuilt binaries for every platform in its package:
  // nothing to rebuild for Electron's ABI.
  npmRebuild: false,
  electronLanguages: ['en-US'],
  afterPack,
  fileAssociations: [
    {
      ext: 'casefile',
      name: 'Casefile case file',
      description: 'Casefile case file',
      mimeType: 'application/x-casefile',
      role: 'Editor',
      rank: 'Owner',
      icon: 'icon',
    },
  ],
  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.productivity',
    icon: 'build/icon.icns',
    hardenedRuntime: true,
  },
  dmg: { title: 'Casefile ${version}' },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ],
    icon: 'build/icons',
    category: 'Office',
    executableName: 'casefile',
    maintainer: 'Casefile contributors',
    synopsis: 'Offline research workbench for analysts of terrorism and armed conflict',
    mimeTypes: ['application/x-casefile'],
  },
  publish: null,
} satisfies Configuration;

export default config;
