import { drawInt, type RandomSource } from '../util/rng';

/**
 * The API server's bitmap allocator with a static sub-range (KEP-3070 for ClusterIPs, KEP-3668 for
 * NodePorts): offsets below `offset` are left for users who pick a value by hand; dynamic allocation
 * starts at a random offset in the upper band and takes the first free one after it, falling back
 * to the lower band only when the upper one is full
 * (pkg/registry/core/service/allocator/bitmap.go randomScanStrategyWithOffset).
 */
export interface BandAllocator {
  /** Number of allocatable values (offsets 0..size-1). */
  size: number;
  /** Size of the lower (static) band. */
  offset: number;
  used: Set<number>;
}

/** min(max(minimum, size/step), maximum), or 0 for tiny ranges (allocator calculateRangeOffset). */
export function staticBandSize(
  rangeSize: number,
  minimum: number,
  step: number,
  maximum: number,
): number {
  if (rangeSize <= minimum) return 0;
  return Math.min(Math.max(minimum, Math.floor(rangeSize / step)), maximum);
}

export function allocateNext(allocator: BandAllocator, random: RandomSource): number | null {
  const upper = scanFrom(allocator, allocator.offset, allocator.size, random);
  if (upper !== null) return upper;
  return scanFrom(allocator, 0, allocator.offset, random);
}

function scanFrom(
  allocator: BandAllocator,
  from: number,
  to: number,
  random: RandomSource,
): number | null {
  const width = to - from;
  if (width <= 0) return null;
  const start = drawInt(random, width);
  for (let i = 0; i < width; i++) {
    const candidate = from + ((start + i) % width);
    if (!allocator.used.has(candidate)) {
      allocator.used.add(candidate);
      return candidate;
    }
  }
  return null;
}
