import { useEffect, useRef, useState } from 'react';

export const HOP_INTERVAL_MS = 450;

/**
 * Steps through a trace's hops like a debugger. `play()` animates from the first hop; with
 * prefers-reduced-motion the packet is shown at its last hop at once and the learner steps by hand.
 * When the trace changes without a play (a re-trace while typing) the last hop is shown.
 */
export function useTracePlayer(trace: object | null, hopCount: number, reducedMotion: boolean) {
  const [step, setStep] = useState(-1);
  const [playing, setPlaying] = useState(false);
  const wantsPlay = useRef(false);

  useEffect(() => {
    if (hopCount === 0) {
      setStep(-1);
      setPlaying(false);
      return;
    }
    if (wantsPlay.current && !reducedMotion) {
      wantsPlay.current = false;
      setStep(0);
      setPlaying(true);
    } else {
      wantsPlay.current = false;
      setStep(hopCount - 1);
      setPlaying(false);
    }
    // A new trace object is a new answer from the engine; the hop count alone may not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new trace is a new answer
  }, [trace, reducedMotion]);

  useEffect(() => {
    if (!playing) return;
    if (step >= hopCount - 1) {
      setPlaying(false);
      return;
    }
    const timer = window.setTimeout(() => setStep((s) => s + 1), HOP_INTERVAL_MS);
    return () => window.clearTimeout(timer);
  }, [playing, step, hopCount]);

  return {
    step,
    playing,
    /** Ask for the next trace the engine answers to be animated from its first hop. */
    requestPlay() {
      wantsPlay.current = true;
    },
    pause: () => setPlaying(false),
    resume: () => {
      if (step >= hopCount - 1) setStep(0);
      setPlaying(true);
    },
    back: () => {
      setPlaying(false);
      setStep((s) => Math.max(0, s - 1));
    },
    forward: () => {
      setPlaying(false);
      setStep((s) => Math.min(hopCount - 1, s + 1));
    },
    goTo: (index: number) => {
      setPlaying(false);
      setStep(index);
    },
  };
}

export function usePrefersReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduced, setReduced] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setReduced(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, []);
  return reduced;
}
