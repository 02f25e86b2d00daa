/** Channels of the exchange area. */
export const exchangeChannels = {} as const;
