import type { Command } from '../command';

/** Commands of this area. */
export const sourcesCommands: Record<string, Command> = {};
