import type { Command } from '../command';

/** Commands of this area. */
export const importExportCommands: Record<string, Command> = {};
