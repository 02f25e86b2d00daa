/** Channels of the sources area. */
export const sourcesChannels = {} as const;
