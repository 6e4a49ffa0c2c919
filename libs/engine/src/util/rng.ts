/**
 * The engine's only source of randomness: a seeded stream (mulberry32) whose state lives in the
 * cluster state, so a scenario replays byte for byte from the same seed.
 */
export function seedFromString(seed: string): number {
  // FNV-1a over the seed text gives a well-spread 32-bit starting state.
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The starting state of the stream `stream` of a cluster seeded with `seed`. Values an object gets
 * when it is created (generated names, uids, ClusterIPs, NodePorts) come from a stream of its own,
 * so adding or removing an unrelated object never renames or renumbers the others.
 */
export function streamSeed(seed: string, stream: string): number {
  return seedFromString(`${seed}\u0000${stream}`);
}

/** Returns [value in [0,1), next state]. */
export function nextRandom(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/** Anything holding the stream: draws advance it in place. */
export interface RandomSource {
  rng: number;
}

export function draw(source: RandomSource): number {
  const [value, next] = nextRandom(source.rng);
  source.rng = next;
  return value;
}

export function drawInt(source: RandomSource, bound: number): number {
  return Math.floor(draw(source) * bound);
}

/** Kubernetes' rand.String alphabet (apimachinery util/rand): no vowels, no confusable digits. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function drawSafeString(source: RandomSource, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[drawInt(source, SAFE_ALPHABET.length)];
  return out;
}
