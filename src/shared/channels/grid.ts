/** Channels of the grid area. */
export const gridChannels = {} as const;
