/** Channels of the import area. */
export const importChannels = {} as const;
