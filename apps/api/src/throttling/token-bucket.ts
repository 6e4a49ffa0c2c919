// A token bucket per key: it holds at most `capacity` tokens (the burst), gains `refillPerSecond`
// tokens a second, and a request costing n tokens passes only if n are there, taking them. A
// refused request takes nothing, and its answer says exactly when n tokens will be there. Unlike a
// fixed window, spending a whole burst at a window's end and another at the next window's start is
// impossible: over any period of t seconds a key spends at most capacity + t × refillPerSecond.
//
// Two stores with the same arithmetic: Redis (one Lua script, atomic, on Redis's clock so every API
// process agrees) and this process's memory (the fallback while Redis does not answer, and
// embedded mode).
import type IORedis from 'ioredis';

export interface TokenBucketPolicy {
  /** Tokens a full bucket holds: the largest burst. */
  capacity: number;
  /** Tokens added a second, up to the capacity. */
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was counted (ms since the epoch, the store's clock). */
  atMs: number;
}

export interface TakeDecision {
  allowed: boolean;
  /** Tokens left after the decision. */
  tokens: number;
  /** Refused: ms until the bucket holds the cost. Allowed: 0. */
  retryAfterMs: number;
}

/**
 * The bucket's decision for a request of `cost` tokens at `nowMs`, and its next state. A cost above
 * the capacity takes a full bucket (it could never pass otherwise). A clock that went back counts
 * as no time passed.
 */
export function takeTokens(
  state: BucketState | undefined,
  policy: TokenBucketPolicy,
  cost: number,
  nowMs: number,
): { decision: TakeDecision; next: BucketState } {
  const perMs = policy.refillPerSecond / 1000;
  const due = Math.min(cost, policy.capacity);
  const { tokens, atMs } = refilled(state, policy, nowMs);
  if (tokens >= due)
    return {
      decision: { allowed: true, tokens: tokens - due, retryAfterMs: 0 },
      next: { tokens: tokens - due, atMs },
    };
  return {
    decision: { allowed: false, tokens, retryAfterMs: Math.ceil((due - tokens) / perMs) },
    next: { tokens, atMs },
  };
}

export interface DebitDecision {
  /** Tokens left after the debit: below zero, a debt the refill pays first. */
  tokens: number;
  /** Ms until the bucket holds a token again (0 when it does already). */
  blockedMs: number;
}

/**
 * Takes `cost` tokens whatever the bucket holds, for work measured after it was let through (an
 * engine task's time): the bucket may go into debt, at most one full bucket deep, and refuses
 * every request until the refill has paid it.
 */
export function debitTokens(
  state: BucketState | undefined,
  policy: TokenBucketPolicy,
  cost: number,
  nowMs: number,
): { decision: DebitDecision; next: BucketState } {
  const perMs = policy.refillPerSecond / 1000;
  const held = refilled(state, policy, nowMs);
  const tokens = Math.max(-policy.capacity, held.tokens - cost);
  const atMs = held.atMs;
  const blockedMs = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs);
  return { decision: { tokens, blockedMs }, next: { tokens, atMs } };
}

/** The bucket at `nowMs`: what it held plus the refill since, never above its capacity. */
function refilled(
  state: BucketState | undefined,
  policy: TokenBucketPolicy,
  nowMs: number,
): BucketState {
  if (!state) return { tokens: policy.capacity, atMs: nowMs };
  const elapsed = Math.max(0, nowMs - state.atMs);
  return {
    tokens: Math.min(policy.capacity, state.tokens + (elapsed * policy.refillPerSecond) / 1000),
    atMs: Math.max(nowMs, state.atMs),
  };
}

/** Milliseconds until a bucket left with `tokens` is full again: when its state may be forgotten. */
export function msUntilFull(policy: TokenBucketPolicy, tokens: number): number {
  return Math.ceil(((policy.capacity - tokens) * 1000) / policy.refillPerSecond);
}

/**
 * Buckets in this process's memory. Forgetting a bucket is the same as keeping it full, so the map
 * only needs the buckets that are not full: when it reaches `maxKeys`, full ones are dropped, and
 * if none is, the oldest (a caller cycling through more than `maxKeys` addresses gets fresh
 * buckets, never unbounded memory). A take may bring its key's own policy (a tenant's budget);
 * the bucket keeps it to know when it is full.
 */
export class MemoryTokenBuckets {
  private readonly buckets = new Map<string, BucketState & { policy: TokenBucketPolicy }>();

  constructor(
    private readonly policy: TokenBucketPolicy,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, cost: number, policy: TokenBucketPolicy = this.policy): TakeDecision {
    const nowMs = this.now();
    const { decision, next } = takeTokens(this.buckets.get(key), policy, cost, nowMs);
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.forgetFull(nowMs);
    this.buckets.set(key, { ...next, policy });
    return decision;
  }

  debit(key: string, cost: number, policy: TokenBucketPolicy = this.policy): DebitDecision {
    const { decision, next } = debitTokens(this.buckets.get(key), policy, cost, this.now());
    this.buckets.delete(key);
    this.buckets.set(key, { ...next, policy });
    return decision;
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetFull(nowMs: number): void {
    for (const [key, state] of this.buckets)
      if (nowMs - state.atMs >= msUntilFull(state.policy, state.tokens)) this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}

// takeTokens in Lua. KEYS[1]: the bucket (a hash of tokens and at); ARGV: capacity, refill per
// second, cost. Redis's TIME is the clock, so API processes with skewed clocks share one bucket
// (scripts may call TIME since Redis 5, whose scripts replicate their effects). Numbers go back as
// strings: Redis would truncate a Lua float reply to an integer. The key expires when the bucket
// would be full, which is the same as a missing key.
const REFILLED_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
local at = now
if saved[1] and saved[2] then
  local savedAt = tonumber(saved[2])
  tokens = math.min(capacity, tonumber(saved[1]) + math.max(0, now - savedAt) * perMs)
  at = math.max(now, savedAt)
end
`;
const SAVE_BUCKET_LUA = `
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) / perMs)))
`;
const TAKE_TOKENS_LUA = `${REFILLED_BUCKET_LUA}
local due = math.min(tonumber(ARGV[3]), capacity)
local allowed = 0
local retryAfterMs = 0
if tokens >= due then
  tokens = tokens - due
  allowed = 1
else
  retryAfterMs = math.ceil((due - tokens) / perMs)
end
${SAVE_BUCKET_LUA}
return { allowed, retryAfterMs, string.format('%.17g', tokens) }
`;
// debitTokens in Lua, on the same hash and arguments.
const DEBIT_TOKENS_LUA = `${REFILLED_BUCKET_LUA}
tokens = math.max(-capacity, tokens - tonumber(ARGV[3]))
local blockedMs = 0
if tokens < 1 then
  blockedMs = math.ceil((1 - tokens) / perMs)
end
${SAVE_BUCKET_LUA}
return { blockedMs, string.format('%.17g', tokens) }
`;

const COMMANDS = { take: 'netplayTakeTokens', debit: 'netplayDebitTokens' } as const;
const SCRIPTS = { take: TAKE_TOKENS_LUA, debit: DEBIT_TOKENS_LUA } as const;

/** A bucket script as ioredis defines it: KEYS[1] the bucket, ARGV capacity, refill, cost. */
type BucketCommand = (
  key: string,
  capacity: number,
  refillPerSecond: number,
  cost: number,
) => Promise<Array<number | string>>;

/** Buckets in Redis, shared by every API process. Throws when Redis does not answer. */
export class RedisTokenBuckets {
  constructor(
    private readonly redis: IORedis,
    private readonly policy: TokenBucketPolicy,
  ) {
    // ioredis sends EVALSHA and falls back to EVAL once per connection when the script is unknown.
    for (const script of ['take', 'debit'] as const)
      if (!(COMMANDS[script] in redis))
        redis.defineCommand(COMMANDS[script], { numberOfKeys: 1, lua: SCRIPTS[script] });
  }

  async take(
    key: string,
    cost: number,
    policy: TokenBucketPolicy = this.policy,
  ): Promise<TakeDecision> {
    const [allowed, retryAfterMs, tokens] = await this.run('take', key, cost, policy);
    return { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs), tokens: Number(tokens) };
  }

  async debit(
    key: string,
    cost: number,
    policy: TokenBucketPolicy = this.policy,
  ): Promise<DebitDecision> {
    const [blockedMs, tokens] = await this.run('debit', key, cost, policy);
    return { blockedMs: Number(blockedMs), tokens: Number(tokens) };
  }

  private run(
    script: keyof typeof COMMANDS,
    key: string,
    cost: number,
    policy: TokenBucketPolicy,
  ): Promise<Array<number | string>> {
    // Fail over at once while the connection is down rather than after a command timeout.
    if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
    const command = (this.redis as unknown as Record<string, BucketCommand>)[COMMANDS[script]];
    return command.call(this.redis, key, policy.capacity, policy.refillPerSecond, cost);
  }
}
