/**
 * The world's defaults, kept at the edge (ARCHITECTURE.md decision 4): the core takes a random
 * source and a scheduler as parameters and falls back to these.
 */

/** Uniform random numbers in [0, 1). */
export const defaultRandom = (): number => Math.random();
