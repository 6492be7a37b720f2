/** The freeze-window module on its own: fixed instants, several zones, both DST directions, a weekend, ranges and cron. */
import { describe, expect, it } from 'vitest';
import { describeInstant, describeSpan, freezeState, parseFreeze, parseFreezeLine } from '../../actions/preflight/src/freeze.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const frozen = (spec: string, when: string) => freezeState(parseFreeze(spec), at(when)).active !== undefined;
const until = (spec: string, when: string) => iso(freezeState(parseFreeze(spec), at(when)).active?.until);

describe('weekly windows at local wall-clock time', () => {
  const weekend = 'Fri 16:00 - Mon 08:00 Europe/Berlin';

  it('spans the weekend, Friday afternoon to Monday morning', () => {
    // 2026-06-05 is a Friday; Berlin is UTC+2 in summer.
    expect(frozen(weekend, '2026-06-05T13:59:59Z')).toBe(false);
    expect(frozen(weekend, '2026-06-05T14:00:00Z')).toBe(true);
    expect(frozen(weekend, '2026-06-06T12:00:00Z')).toBe(true); // Saturday
    expect(frozen(weekend, '2026-06-07T23:00:00Z')).toBe(true); // Monday 01:00 local
    expect(frozen(weekend, '2026-06-08T05:59:59Z')).toBe(true);
    expect(frozen(weekend, '2026-06-08T06:00:00Z')).toBe(false);
    expect(frozen(weekend, '2026-06-10T10:00:00Z')).toBe(false); // Wednesday
  });

  it('Europe/Berlin, spring forward (2026-03-29): starts at 16:00 CET, ends at 08:00 CEST — 63 hours', () => {
    expect(frozen(weekend, '2026-03-27T14:59:00Z')).toBe(false);
    expect(frozen(weekend, '2026-03-27T15:00:00Z')).toBe(true);
    expect(until(weekend, '2026-03-28T12:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    expect(frozen(weekend, '2026-03-30T05:59:00Z')).toBe(true);
    expect(frozen(weekend, '2026-03-30T06:00:00Z')).toBe(false);
    const s = freezeState(parseFreeze(weekend), at('2026-03-28T12:00:00Z')).active!;
    expect((s.end - s.start) / 3_600_000).toBe(63);
  });

  it('Europe/Berlin, fall back (2026-10-25): starts at 16:00 CEST, ends at 08:00 CET — 65 hours', () => {
    expect(frozen(weekend, '2026-10-23T13:59:00Z')).toBe(false);
    expect(frozen(weekend, '2026-10-23T14:00:00Z')).toBe(true);
    expect(until(weekend, '2026-10-25T01:30:00Z')).toBe('2026-10-26T07:00:00.000Z'); // during the repeated hour
    expect(frozen(weekend, '2026-10-26T06:30:00Z')).toBe(true); // 07:30 CET
    expect(frozen(weekend, '2026-10-26T07:00:00Z')).toBe(false);
  });

  it('America/New_York, spring forward (2026-03-08): a whole-weekend window ends at local midnight', () => {
    const spec = 'Sat 00:00 - Sun 24:00 America/New_York';
    expect(frozen(spec, '2026-03-07T04:59:00Z')).toBe(false); // Fri 23:59 EST
    expect(frozen(spec, '2026-03-07T05:00:00Z')).toBe(true); // Sat 00:00 EST
    expect(until(spec, '2026-03-08T12:00:00Z')).toBe('2026-03-09T04:00:00.000Z'); // Mon 00:00 EDT
    expect(frozen(spec, '2026-03-09T04:00:00Z')).toBe(false);
  });

  it('America/New_York, fall back (2026-11-01)', () => {
    const spec = 'Sat 00:00 - Sun 24:00 America/New_York';
    expect(frozen(spec, '2026-10-31T03:59:00Z')).toBe(false); // Fri 23:59 EDT
    expect(frozen(spec, '2026-10-31T04:00:00Z')).toBe(true);
    expect(until(spec, '2026-11-01T06:30:00Z')).toBe('2026-11-02T05:00:00.000Z'); // Mon 00:00 EST
  });

  it('Australia/Sydney, southern-hemisphere DST end (2026-04-05): Friday 18:00 AEDT to Monday 06:00 AEST', () => {
    const spec = 'Fri 18:00 - Mon 06:00 Australia/Sydney';
    expect(frozen(spec, '2026-04-03T06:59:00Z')).toBe(false);
    expect(frozen(spec, '2026-04-03T07:00:00Z')).toBe(true); // Fri 18:00 +11
    expect(until(spec, '2026-04-04T12:00:00Z')).toBe('2026-04-05T20:00:00.000Z'); // Mon 06:00 +10
    expect(frozen(spec, '2026-04-05T20:00:00Z')).toBe(false);
  });

  it('a window within one day, and one that wraps the whole week', () => {
    expect(frozen('Mon 09:00 - Mon 17:00 UTC', '2026-06-08T12:00:00Z')).toBe(true);
    expect(frozen('Mon 09:00 - Mon 17:00 UTC', '2026-06-09T12:00:00Z')).toBe(false);
    // Starts Monday 17:00 and ends the next Monday 09:00: frozen all week except Monday daytime.
    expect(frozen('Mon 17:00 - Mon 09:00 UTC', '2026-06-10T12:00:00Z')).toBe(true);
    expect(frozen('Mon 17:00 - Mon 09:00 UTC', '2026-06-08T12:00:00Z')).toBe(false);
  });

  it('defaults to UTC and accepts full day names', () => {
    expect(parseFreezeLine('friday 16:00 - monday 08:00')).toMatchObject({ kind: 'weekly', zone: 'UTC', start: { day: 4, minute: 960 }, end: { day: 0, minute: 480 } });
  });
});

describe('date ranges', () => {
  const holidays = '2026-12-20 - 2027-01-04 Europe/Berlin';

  it('are whole local days with the end day included', () => {
    expect(frozen(holidays, '2026-12-19T22:59:59Z')).toBe(false);
    expect(frozen(holidays, '2026-12-19T23:00:00Z')).toBe(true); // 00:00 CET on the 20th
    expect(frozen(holidays, '2027-01-04T22:59:59Z')).toBe(true); // the 4th is included
    expect(frozen(holidays, '2027-01-04T23:00:00Z')).toBe(false);
  });

  it('take exact local times when given', () => {
    const spec = '2026-03-28T18:00 - 2026-03-29T12:00 Europe/Berlin'; // across the spring change
    expect(until(spec, '2026-03-28T20:00:00Z')).toBe('2026-03-29T10:00:00.000Z');
    expect(frozen(spec, '2026-03-28T16:59:00Z')).toBe(false);
    expect(frozen(spec, '2026-03-28T17:00:00Z')).toBe(true);
  });
});

describe('cron start + duration', () => {
  it('lasts the elapsed duration, also across a DST change', () => {
    const spec = '0 18 * * 5 for 62h Europe/Berlin';
    expect(frozen(spec, '2026-03-27T16:59:00Z')).toBe(false);
    expect(frozen(spec, '2026-03-27T17:00:00Z')).toBe(true); // 18:00 CET
    // 62 hours later is Monday 07:00 UTC = 09:00 CEST (the wall clock jumped an hour).
    expect(until(spec, '2026-03-29T12:00:00Z')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('runs in its zone (Asia/Tokyo, no DST) and gives the next start', () => {
    const s = freezeState(parseFreeze('30 9 1 * * for 2h Asia/Tokyo'), at('2026-06-15T00:00:00Z'));
    expect(s.active).toBeUndefined();
    expect(iso(s.next?.start)).toBe('2026-07-01T00:30:00.000Z');
    expect(frozen('30 9 1 * * for 2h Asia/Tokyo', '2026-07-01T02:29:00Z')).toBe(true);
    expect(frozen('30 9 1 * * for 2h Asia/Tokyo', '2026-07-01T02:30:00Z')).toBe(false);
  });

  it('chains overlapping occurrences into one freeze', () => {
    // Every day at 20:00 for 30 hours: each freeze overlaps the next, so it never lifts within the occurrences seen.
    const s = freezeState(parseFreeze('0 20 * * * for 30h'), at('2026-06-10T21:00:00Z'));
    expect(s.active!.until).toBeGreaterThan(at('2026-06-12T02:00:00Z'));
  });
});

describe('when it lifts and what comes next', () => {
  const spec = 'Fri 16:00 - Mon 08:00 Europe/Berlin\n2026-12-20 - 2027-01-04 Europe/Berlin';

  it('names the next window while open', () => {
    const s = freezeState(parseFreeze(spec), at('2026-12-16T10:00:00Z')); // Wednesday
    expect(s.active).toBeUndefined();
    expect(iso(s.next?.start)).toBe('2026-12-18T15:00:00.000Z');
    expect(describeInstant(s.next!.start, 'Europe/Berlin')).toBe('Fri 2026-12-18 16:00 Europe/Berlin');
  });

  it('merges touching windows (a weekend running into the holidays) and gives the next after the freeze lifts', () => {
    const s = freezeState(parseFreeze(spec), at('2026-12-18T16:00:00Z'));
    expect(iso(s.active?.until)).toBe('2027-01-04T23:00:00.000Z');
    expect(iso(s.next?.start)).toBe('2027-01-08T15:00:00.000Z');
  });

  it('describes spans for people', () => {
    expect(describeSpan(2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('2d 3h');
    expect(describeSpan(5 * 3_600_000 + 20 * 60_000)).toBe('5h 20m');
    expect(describeSpan(12 * 60_000)).toBe('12m');
  });
});

describe('refused by name', () => {
  const refuse = (spec: string) => {
    try {
      parseFreeze(spec);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`accepted ${spec}`);
  };

  it('an invalid cron field', () => {
    expect(refuse('0 25 * * 5 for 2h')).toMatch(/line 1 .*invalid cron schedule "0 25 \* \* 5".*expected range 0-23/);
    expect(refuse('61 1 * * * for 2h')).toMatch(/invalid cron schedule/);
  });

  it('an unknown time zone', () => {
    expect(refuse('Fri 16:00 - Mon 08:00 Europe/Berlim')).toMatch(/unknown time zone "Europe\/Berlim".*IANA/);
    expect(refuse('0 18 * * 5 for 62h Mars/Olympus')).toMatch(/unknown time zone "Mars\/Olympus"/);
  });

  it('a reversed date range', () => {
    expect(refuse('2027-01-04 - 2026-12-20')).toMatch(/reversed date range.*put the earlier date first/);
  });

  it('other mistakes, on the line where they are', () => {
    expect(refuse('# weekends\nFri 16:00 - Mon 08:00\nFri 25:00 - Mon 08:00')).toMatch(/^line 3 .*invalid start time 25:00/);
    expect(refuse('Mon 09:00 - Mon 09:00')).toMatch(/starts and ends at the same time/);
    expect(refuse('2026-02-30 - 2026-03-02')).toMatch(/invalid date "2026-02-30"/);
    expect(refuse('0 18 * * 5 for ever')).toMatch(/invalid duration "ever"/);
    expect(refuse('weekends')).toMatch(/is not a freeze window: use a weekly window/);
  });
});
