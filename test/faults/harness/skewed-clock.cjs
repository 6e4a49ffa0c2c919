// Loaded with `node --require`: this process's clock runs NETPLAY_TEST_CLOCK_SKEW_MS ahead (or
// behind), as on a host whose NTP stopped, without touching the machine's clock or other
// processes (what libfaketime would do, which this machine lacks). Date.now() and `new Date()`
// are shifted; timers and performance.now() are not, as a wall-clock jump leaves them alone too.
'use strict';
const skewMs = Number(process.env.NETPLAY_TEST_CLOCK_SKEW_MS ?? 0);
if (skewMs !== 0) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skewMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skewMs;
    }
  }
  globalThis.Date = SkewedDate;
}
