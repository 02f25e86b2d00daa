import type { Command } from '../command';

/** Commands of this area. */
export const exchangeCommands: Record<string, Command> = {};
