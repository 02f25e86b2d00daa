/** Channels of the dashboard area. */
export const dashboardChannels = {} as const;
