/**
 * How many explicit cluster ids of 63 characters (the longest RDS allows) test/iam/limits.test.ts
 * proves fit the CreateSnapshot role's IAM policies: in any partition and Region (an
 * environment-agnostic stack, deployed with the longest names), and in eu-west-1. The README and the
 * `clusterIdentifiers` JSDoc quote these figures; test/package/readme-numbers.test.ts checks they do.
 */
export const PROVEN_63_CHARACTER_IDS = {
  anyRegion: 450,
  euWest1: 500,
} as const;
