/** Change freeze: is now inside a window; when does it end and when does the next one begin. An override turns a freeze into a warning. */
import { describeInstant, describeSpan, freezeState, type FreezeWindow } from '../freeze.js';
import type { Check } from './types.js';

export function freezeCheck(windows: FreezeWindow[], override: string | undefined, timeoutMs: number, now: () => number = Date.now): Check {
  return {
    id: 'freeze',
    title: 'Change freeze',
    skip: windows.length ? undefined : 'no freeze windows given',
    timeoutMs,
    run: async () => {
      const at = now();
      const state = freezeState(windows, at);
      const next = state.next ? `next freeze ${describeInstant(state.next.start, state.next.window.zone)} (in ${describeSpan(state.next.start - at)}): ${state.next.window.text}` : 'no further freeze scheduled';
      const data = {
        active: state.active ? { window: state.active.window.text, start: new Date(state.active.start).toISOString(), until: new Date(state.active.until).toISOString() } : null,
        next: state.next ? { window: state.next.window.text, start: new Date(state.next.start).toISOString(), end: new Date(state.next.end).toISOString() } : null,
        override: override ?? null,
      };
      if (!state.active) return { status: 'pass', found: `not frozen; ${next}`, data };
      const { window, until } = state.active;
      const frozen = `frozen by "${window.text}" until ${describeInstant(until, window.zone)} (in ${describeSpan(until - at)}); ${next}`;
      if (override) return { status: 'warn', found: `${frozen} — overridden: ${override}`, fix: 'the override is recorded in the report; remove freeze-override once this release is out', data };
      return { status: 'fail', found: frozen, fix: 'wait for the window to end, or set freeze-override to the reason this release cannot wait', data };
    },
  };
}
