import type { z } from 'zod';

type Spec = { kind: 'query' | 'mutation'; input: z.ZodType; output: z.ZodType };

/** The handlers of one area's channels: exactly its channels, typed from their schemas. */
export type AreaHandlers<T extends Record<string, Spec>> = {
  [C in keyof T]: (input: z.output<T[C]['input']>) => z.infer<T[C]['output']> | Promise<z.infer<T[C]['output']>>;
};
