import { evictionPolicyIn, redisEvictionProblem } from './redis-eviction-policy';

const INFO = (policy: string) =>
  `# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\nmaxmemory_policy:${policy}\r\nallocator_frag_ratio:1.1\r\n`;

describe('the Redis eviction policy check', () => {
  it('reads maxmemory_policy from INFO memory', () => {
    expect(evictionPolicyIn(INFO('noeviction'))).toBe('noeviction');
    expect(evictionPolicyIn('# Memory\r\nused_memory:1\r\n')).toBeUndefined();
  });

  it.each(['allkeys-lru', 'volatile-ttl', 'allkeys-random'])(
    'names %s as a problem',
    async (policy) => {
      expect(await redisEvictionProblem({ info: async () => INFO(policy) } as never)).toMatch(
        new RegExp(`maxmemory-policy is "${policy}".*needs "noeviction"`),
      );
    },
  );

  it('accepts noeviction and refuses a Redis that does not say', async () => {
    expect(
      await redisEvictionProblem({ info: async () => INFO('noeviction') } as never),
    ).toBeNull();
    expect(await redisEvictionProblem({ info: async () => '# Memory\r\n' } as never)).toMatch(
      /does not report its maxmemory-policy/,
    );
  });
});
