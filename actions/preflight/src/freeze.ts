/**
 * Change-freeze windows, as a pure module (no clock, no runner): parse the `freeze` input and ask
 * whether an instant falls inside a window, when that window ends and when the next one begins.
 *
 * Three kinds, one per line, each in an IANA time zone (default UTC):
 *
 *   Fri 16:00 - Mon 08:00 Europe/Berlin     weekly: starts and ends at the local wall-clock time,
 *                                           so the window is right on both sides of a DST change
 *   2026-12-20 - 2027-01-04 America/New_York date range: whole local days, the end day included
 *   2026-12-24T12:00 - 2026-12-27T08:00 UTC  date-time range: exactly these local times
 *   0 18 * * 5 for 62h Asia/Tokyo            cron start (5 fields, cron-parser) + elapsed duration
 *
 * Zones and calendar arithmetic come from luxon (over Intl); cron schedules from cron-parser.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import { parseDuration } from '../../../shared/core/duration.js';

export type FreezeWindow =
  | { kind: 'weekly'; text: string; zone: string; start: { day: number; minute: number }; end: { day: number; minute: number } }
  | { kind: 'range'; text: string; zone: string; start: number; end: number }
  | { kind: 'cron'; text: string; zone: string; cron: string; durationMs: number };

/** One occurrence of a window: [start, end) in ms since the epoch. */
export interface Occurrence {
  window: FreezeWindow;
  start: number;
  end: number;
}

export interface FreezeState {
  /** The occurrence(s) covering `now`; `until` is when the freeze lifts (chained windows merged). */
  active?: Occurrence & { until: number };
  /** The next occurrence that starts after `now` (after the active freeze lifts, when frozen). */
  next?: Occurrence;
}

/** A line of the freeze input that cannot be read; the message completes "… line N ". */
export class FreezeSyntaxError extends Error {}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_RE = '(mon|tue|wed|thu|fri|sat|sun)[a-z]*';
const TIME_RE = '(\\d{1,2}):(\\d{2})';
const WEEKLY = new RegExp(`^${DAY_RE}\\s+${TIME_RE}\\s*-\\s*${DAY_RE}\\s+${TIME_RE}(?:\\s+(\\S+))?$`, 'i');
const RANGE = /^(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?)\s+-\s+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?)(?:\s+([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*|UTC))?$/;
const CRON = /^((?:\S+\s+){4}\S+)\s+for\s+(\S+)(?:\s+(\S+))?$/i;

const HINTS =
  'use a weekly window "Fri 16:00 - Mon 08:00 Europe/Berlin", a date range "2026-12-20 - 2027-01-04 Europe/Berlin", ' +
  'or a cron start with a duration "0 18 * * 5 for 62h Europe/Berlin"';

function zoneOf(name: string | undefined): string {
  const zone = name ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) throw new FreezeSyntaxError(`has an unknown time zone ${JSON.stringify(zone)}: use an IANA name such as Europe/Berlin, America/New_York or UTC`);
  return zone;
}

function minuteOf(h: string, m: string, what: string): number {
  const hour = Number(h);
  const minute = Number(m);
  if (hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) throw new FreezeSyntaxError(`has an invalid ${what} time ${h}:${m}: use 00:00 to 23:59 (or 24:00)`);
  return hour * 60 + minute;
}

function localInstant(text: string, zone: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const t = DateTime.fromISO(text.replace(' ', 'T'), { zone });
  if (!t.isValid) throw new FreezeSyntaxError(`has an invalid date ${JSON.stringify(text)}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM`);
  // A date-only end includes that whole day: the window ends when the next local day begins.
  return (dateOnly && endOfDay ? t.plus({ days: 1 }).startOf('day') : t).toMillis();
}

/** Parses one line; throws FreezeSyntaxError naming the mistake and the accepted forms. */
export function parseFreezeLine(line: string): FreezeWindow {
  const text = line.trim();
  let m: RegExpExecArray | null;
  if ((m = WEEKLY.exec(text))) {
    const zone = zoneOf(m[7]);
    const start = { day: DAYS.indexOf(m[1]!.toLowerCase()), minute: minuteOf(m[2]!, m[3]!, 'start') };
    const end = { day: DAYS.indexOf(m[4]!.toLowerCase()), minute: minuteOf(m[5]!, m[6]!, 'end') };
    if (start.day === end.day && start.minute === end.minute) throw new FreezeSyntaxError('starts and ends at the same time: give a window that lasts');
    return { kind: 'weekly', text, zone, start, end };
  }
  if ((m = RANGE.exec(text))) {
    const zone = zoneOf(m[3]);
    const start = localInstant(m[1]!, zone, false);
    const end = localInstant(m[2]!, zone, true);
    if (end <= start) throw new FreezeSyntaxError(`is a reversed date range (${m[2]} is before ${m[1]}): put the earlier date first`);
    return { kind: 'range', text, zone, start, end };
  }
  if ((m = CRON.exec(text))) {
    const zone = zoneOf(m[3]);
    const durationMs = parseDuration(m[2]!);
    if (!durationMs) throw new FreezeSyntaxError(`has an invalid duration ${JSON.stringify(m[2])}: use e.g. 90m, 62h`);
    try {
      CronExpressionParser.parse(m[1]!, { tz: zone, strict: false });
    } catch (error) {
      throw new FreezeSyntaxError(`has an invalid cron schedule "${m[1]}": ${(error as Error).message} (fields: minute hour day-of-month month day-of-week)`);
    }
    return { kind: 'cron', text, zone, cron: m[1]!, durationMs };
  }
  throw new FreezeSyntaxError(`is not a freeze window: ${HINTS}`);
}

/** Parses the whole input (one window per line; blank lines and `#` comments skipped). */
export function parseFreeze(text: string): FreezeWindow[] {
  const windows: FreezeWindow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    try {
      windows.push(parseFreezeLine(line));
    } catch (error) {
      if (error instanceof FreezeSyntaxError) throw new FreezeSyntaxError(`line ${i + 1} (${JSON.stringify(line)}) ${error.message}`);
      throw error;
    }
  });
  return windows;
}

/** Weekly occurrences whose start falls in the local weeks around `now` (previous, this, next two). */
function weekly(w: Extract<FreezeWindow, { kind: 'weekly' }>, now: number): Occurrence[] {
  const monday = DateTime.fromMillis(now, { zone: w.zone }).startOf('week');
  // Days from the start day to the end day; the same day with an earlier end time wraps a week.
  const span = (w.end.day - w.start.day + 7) % 7 || (w.end.minute > w.start.minute ? 0 : 7);
  return [-1, 0, 1, 2].map((week) => {
    const startDay = monday.plus({ weeks: week, days: w.start.day });
    return { window: w, start: wallClock(startDay, w.start.minute), end: wallClock(startDay.plus({ days: span }), w.end.minute) };
  });
}

/**
 * The instant of a local wall-clock time (minutes after midnight) on a local day, resolved in the
 * zone's offset of that day (luxon: a time skipped by DST moves forward). 24:00 is the next midnight.
 */
function wallClock(day: DateTime, minute: number): number {
  const base = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: day.zone });
  if (minute === 24 * 60) return base.plus({ days: 1 }).toMillis();
  return base.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}

const MAX_CRON_STEPS = 500;

function cronOccurrences(w: Extract<FreezeWindow, { kind: 'cron' }>, now: number): Occurrence[] {
  const out: Occurrence[] = [];
  // Starts that may still cover now (within one duration back), then the next one.
  const back = CronExpressionParser.parse(w.cron, { tz: w.zone, currentDate: new Date(now + 1), strict: false });
  for (let i = 0; i < MAX_CRON_STEPS && back.hasPrev(); i++) {
    const start = back.prev().getTime();
    if (start + w.durationMs <= now) break;
    out.push({ window: w, start, end: start + w.durationMs });
  }
  const ahead = CronExpressionParser.parse(w.cron, { tz: w.zone, currentDate: new Date(now), strict: false });
  for (let i = 0; i < 2 && ahead.hasNext(); i++) {
    const start = ahead.next().getTime();
    out.push({ window: w, start, end: start + w.durationMs });
  }
  return out;
}

export function occurrences(w: FreezeWindow, now: number): Occurrence[] {
  if (w.kind === 'range') return [{ window: w, start: w.start, end: w.end }];
  if (w.kind === 'weekly') return weekly(w, now);
  return cronOccurrences(w, now);
}

/** Whether `now` is frozen, until when (overlapping or touching windows chained), and what comes next. */
export function freezeState(windows: FreezeWindow[], now: number): FreezeState {
  const all = windows.flatMap((w) => occurrences(w, now)).sort((a, b) => a.start - b.start);
  const covering = all.filter((o) => o.start <= now && now < o.end);
  let until = Math.max(...covering.map((o) => o.end), -Infinity);
  if (covering.length) {
    // A window that begins before (or as) the current one ends extends the freeze.
    for (let grew = true; grew; ) {
      grew = false;
      for (const o of all) {
        if (o.start <= until && o.end > until) {
          until = o.end;
          grew = true;
        }
      }
    }
  }
  const after = covering.length ? until : now;
  const next = windows
    .flatMap((w) => occurrences(w, after))
    .filter((o) => o.start > after)
    .sort((a, b) => a.start - b.start)[0];
  return {
    active: covering.length ? { ...covering.reduce((a, b) => (b.end > a.end ? b : a)), until } : undefined,
    next,
  };
}

/** "Mon 2026-03-30 08:00 Europe/Berlin": an instant in the window's own zone. */
export function describeInstant(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm')} ${zone}`;
}

/** "2d 3h", "5h 20m", "12m": how far away an instant is, for people. */
export function describeSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  if (h) return m ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}
