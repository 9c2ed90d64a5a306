/**
 * The SLA clock: pure functions that turn a ticket's history into its customer-visible
 * SLA (`TicketSla`). No I/O, no zod: the server fills `ticket.sla` with it on every read,
 * the scheduler uses it to decide when a ticket crosses 75 % or 100 %, and tests pin
 * business hours, pauses, time zones and DST here.
 *
 * Model
 * - A policy gives, per priority, a first-response and a resolution target in minutes of
 *   *working time*, and optional business hours (weekdays and a daily window in an IANA
 *   time zone). Without business hours every minute counts (24/7).
 * - Working time stops while the ticket waits on the customer (`pending`) and while it is
 *   solved or closed (a reopened ticket's clock resumes where it stopped).
 * - First response is met by the first agent reply; resolution by solving or closing.
 *   A clock that stopped after its due time is `breached`, before or at it `met`.
 * - A running clock is `at_risk` once 75 % of its target has elapsed, `breached` past 100 %.
 * - While paused, `dueAt` is when the target would be reached if work resumed now.
 */
import type { SlaClock, SlaState, TicketPriority, TicketSla, TicketStatus } from './domain.ts';

/** Share of a target after which a running clock is `at_risk`. */
export const SLA_AT_RISK_RATIO = 0.75;

/** Targets of one priority, in minutes of working time. */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** When work happens: these weekdays, between `start` and `end` local time in `timeZone`. */
export interface BusinessHours {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  days: readonly number[];
  /** Local start of the working day, `HH:MM` (24 h). */
  start: string;
  /** Local end of the working day, `HH:MM` (24 h), after `start`. */
  end: string;
}

/** SLA policy of one account tier. */
export interface SlaPolicy {
  targets: Readonly<Record<TicketPriority, SlaTargets>>;
  /** Null: around the clock. */
  businessHours: BusinessHours | null;
}

const H = 60;
/** Default policies by tier: `premier` around the clock, `standard` weekdays 9–17 UTC. */
export const DEFAULT_SLA_POLICIES = {
  premier: {
    targets: {
      urgent: { firstResponseMinutes: 1 * H, resolutionMinutes: 8 * H },
      high: { firstResponseMinutes: 2 * H, resolutionMinutes: 24 * H },
      normal: { firstResponseMinutes: 4 * H, resolutionMinutes: 72 * H },
      low: { firstResponseMinutes: 8 * H, resolutionMinutes: 120 * H },
    },
    businessHours: null,
  },
  standard: {
    targets: {
      urgent: { firstResponseMinutes: 2 * H, resolutionMinutes: 16 * H },
      high: { firstResponseMinutes: 4 * H, resolutionMinutes: 40 * H },
      normal: { firstResponseMinutes: 8 * H, resolutionMinutes: 80 * H },
      low: { firstResponseMinutes: 16 * H, resolutionMinutes: 160 * H },
    },
    businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
  },
} as const satisfies Record<'standard' | 'premier', SlaPolicy>;

/** What the clock needs to know about a ticket. Timestamps are ISO strings. */
export interface SlaFacts {
  createdAt: string;
  /** The current status. */
  status: TicketStatus;
  /** When it changed last (used when the history lacks the change into the current status). */
  updatedAt: string;
  /** Status changes, any order: `to` is the status entered at `at`. */
  statusChanges: readonly { at: string; to: TicketStatus }[];
  /** Time of the first agent reply, if any. */
  firstResponseAt: string | null;
}

/** Statuses during which the clocks stand still. */
const STOPPED: readonly TicketStatus[] = ['pending', 'solved', 'closed'];
const RESOLVED: readonly TicketStatus[] = ['solved', 'closed'];

type Interval = readonly [start: number, end: number];

// ---------------------------------------------------------------------------
// Time zones without a library: Intl tells the wall clock of an instant; the inverse
// is found by correcting a guess with the zone's offset (twice, for DST edges).

const partFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; hh: number; mm: number; ss: number; weekday: number } {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(ms)) if (type !== 'literal') p[type] = Number(value);
  const y = p.year!;
  const m = p.month!;
  const d = p.day!;
  return { y, m, d, hh: p.hour! % 24, mm: p.minute!, ss: p.second!, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** Offset of a zone at an instant, in ms (local − UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm, w.ss) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens in a zone. A time skipped by a DST jump is
 * moved forward by the length of the gap (02:30 on a spring-forward day → 03:30, as
 * Temporal's `compatible`); a repeated time maps to its first occurrence.
 */
export function zonedTimeToUtc(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const local = Date.UTC(y, m - 1, d, 0, minutes);
  // Offsets half a day either side: a zone changes offset at most once in that span.
  const before = local - offsetAt(local - 43_200_000, timeZone);
  const after = local - offsetAt(local + 43_200_000, timeZone);
  const valid = [before, after].filter((c) => c + offsetAt(c, timeZone) === local);
  if (valid.length) return Math.min(...valid);
  // In a gap: keep the offset from before the jump, which lands past it.
  return before;
}

const parseHm = (hm: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hm);
  if (!match) throw new RangeError(`Invalid time "${hm}": use HH:MM`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60 || Number(match[2]) > 59) throw new RangeError(`Invalid time "${hm}"`);
  return minutes;
};

/** Checks a business-hours definition; throws `RangeError` with a readable message. */
export function validateBusinessHours(hours: BusinessHours): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone });
  } catch {
    throw new RangeError(`Unknown time zone "${hours.timeZone}"`);
  }
  if (hours.days.length === 0 || hours.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
    throw new RangeError('Business days must be one or more of 0 (Sunday) … 6 (Saturday)');
  }
  if (parseHm(hours.start) >= parseHm(hours.end)) throw new RangeError('Business hours must end after they start');
}

/**
 * Working windows by zone and hours, then by local day (as a UTC midnight): computing them is
 * most of the clock's cost. Keyed by number within a zone, since a clock walks every day since
 * the ticket was created and every ticket read computes its clocks.
 */
const windowCache = new Map<string, Map<number, Interval>>();

/** Local days (as UTC midnights) of instants, by zone: every clock of a ticket starts at its creation. */
const localDays = new Map<string, Map<number, number>>();

/** The local day containing `ms` in a zone, as a UTC midnight (Intl is slow: remembered). */
function localDayOf(ms: number, timeZone: string): number {
  let days = localDays.get(timeZone);
  if (!days) localDays.set(timeZone, (days = new Map()));
  let day = days.get(ms);
  if (day === undefined) {
    if (days.size > 50_000) days.clear();
    const w = wallClock(ms, timeZone);
    days.set(ms, (day = Date.UTC(w.y, w.m - 1, w.d)));
  }
  return day;
}

/**
 * Working windows from the local day containing `from` onwards, in order, as UTC ms.
 * Without business hours, one endless window.
 */
function* workingWindows(from: number, hours: BusinessHours | null): Generator<Interval> {
  if (!hours) {
    yield [from, Number.POSITIVE_INFINITY];
    return;
  }
  const start = parseHm(hours.start);
  const end = parseHm(hours.end);
  const days = new Set(hours.days);
  const zoneKey = `${hours.timeZone} ${start} ${end}`;
  let windows = windowCache.get(zoneKey);
  if (!windows) windowCache.set(zoneKey, (windows = new Map()));
  // Walk calendar days (a UTC date is only a label for the local day here).
  let day = localDayOf(from, hours.timeZone);
  for (let i = 0; i < 100_000; i++, day += 86_400_000) {
    // The weekday of a UTC midnight: 1 January 1970 was a Thursday (4).
    if (!days.has((((day / 86_400_000 + 4) % 7) + 7) % 7)) continue;
    let window = windows.get(day);
    if (!window) {
      if (windows.size > 50_000) windows.clear();
      const date = new Date(day);
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      window = [zonedTimeToUtc(y, m, d, start, hours.timeZone), zonedTimeToUtc(y, m, d, end, hours.timeZone)];
      windows.set(day, window);
    }
    if (window[1] > window[0]) yield window;
  }
}

/** Working time between two instants (ms), skipping `pauses` (sorted, disjoint). */
export function workingMs(from: number, to: number, hours: BusinessHours | null, pauses: readonly Interval[] = []): number {
  if (to <= from) return 0;
  // Around the clock the only window is endless. Every ticket read computes its clocks: no
  // windows are walked (nor allocated) for it.
  if (!hours) return activeWithin(from, to, pauses);
  let total = 0;
  for (const [s, e] of workingWindows(from, hours)) {
    if (s >= to) break;
    total += activeWithin(Math.max(s, from), Math.min(e, to), pauses);
  }
  return total;
}

/** The instant `amount` ms of working time after `from`, skipping `pauses` (sorted, disjoint). */
export function addWorkingMs(from: number, amount: number, hours: BusinessHours | null, pauses: readonly Interval[] = []): number {
  // Around the clock: one endless window from `from` (as in `workingMs`, nothing to walk).
  if (!hours) return instantWithin(from, Number.POSITIVE_INFINITY, amount, pauses);
  let left = amount;
  for (const [ws, we] of workingWindows(from, hours)) {
    const start = Math.max(ws, from);
    if (start >= we) continue;
    const at = instantWithin(start, we, left, pauses);
    if (at !== Number.POSITIVE_INFINITY) return at;
    left -= activeWithin(start, we, pauses);
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The instant `amount` ms of working time after `from` within the window [`from`, `end`),
 * skipping `pauses` (sorted, disjoint); infinity when the window holds less than that.
 */
function instantWithin(from: number, end: number, amount: number, pauses: readonly Interval[]): number {
  let left = amount;
  let cursor = from;
  // Each pause read by index, not destructured (`[ps, pe]` runs the array iterator per pause):
  // every clock of every ticket read comes here.
  for (const pause of pauses) {
    const ps = pause[0];
    const pe = pause[1];
    if (pe <= cursor || ps >= end) continue;
    if (ps > cursor) {
      if (ps - cursor >= left) return cursor + left;
      left -= ps - cursor;
    }
    cursor = Math.max(cursor, pe);
    if (cursor >= end) return Number.POSITIVE_INFINITY;
  }
  return end - cursor >= left ? cursor + left : Number.POSITIVE_INFINITY;
}

function activeWithin(from: number, to: number, pauses: readonly Interval[]): number {
  if (to <= from) return 0;
  let active = to - from;
  for (const pause of pauses) {
    const s = Math.max(pause[0], from);
    const e = Math.min(pause[1], to);
    if (e > s) active -= e - s;
  }
  return active;
}

// ---------------------------------------------------------------------------

const byTime = (a: { at: number }, b: { at: number }) => a.at - b.at;

/** The number written by `count` decimal digits of `text` from `from`, or NaN if one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * `Date.parse(text)`, read digit by digit when `text` has the form `toISOString` writes
 * (`2024-05-01T09:30:00.000Z`, the form of every timestamp the stores keep); other text goes to
 * `Date.parse`. Every ticket read parses its creation, update and history times for its clocks,
 * and V8's general date parser was the costliest step of them (see docs/performance.md, "Cost
 * per list request, round 3").
 */
export function parseInstant(text: string): number {
  if (
    typeof text !== 'string' ||
    text.length !== 24 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== '.' ||
    text[23] !== 'Z'
  ) {
    return Date.parse(text);
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const ms = digitsAt(text, 20, 3);
  // The ranges Date.parse takes (it too rolls a day past the month's end over); anything else
  // (a non-digit gives NaN, which fails here), hour 24 and the years Date.UTC reads as 19xx go to it.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) {
    return Date.parse(text);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Intervals in which the ticket stood still (pending/solved/closed) up to `now`, sorted. */
export function pauseIntervals(facts: SlaFacts, now: number): { pauses: Interval[]; resolvedAt: number | null } {
  const created = parseInstant(facts.createdAt);
  // A plain loop rather than map/filter: every ticket read comes here, most with a short history.
  const changes: { at: number; to: TicketStatus }[] = [];
  for (const change of facts.statusChanges) {
    const at = parseInstant(change.at);
    if (!Number.isNaN(at)) changes.push({ at, to: change.to });
  }
  changes.sort(byTime);
  // History that does not end in the current status (e.g. imported tickets): assume the
  // ticket entered it at its last update.
  if (changes.at(-1)?.to !== facts.status && facts.status !== 'new' && facts.status !== 'open') {
    changes.push({ at: Math.max(parseInstant(facts.updatedAt), changes.at(-1)?.at ?? created), to: facts.status });
  }
  const pauses: Interval[] = [];
  let pausedSince: number | null = null;
  let resolvedAt: number | null = null;
  for (const change of changes) {
    const stops = STOPPED.includes(change.to);
    if (stops && pausedSince === null) pausedSince = Math.max(change.at, created);
    if (!stops && pausedSince !== null) {
      if (change.at > pausedSince) pauses.push([pausedSince, change.at]);
      pausedSince = null;
    }
    if (RESOLVED.includes(change.to)) resolvedAt ??= change.at;
    else resolvedAt = null;
  }
  if (pausedSince !== null && now > pausedSince) pauses.push([pausedSince, now]);
  if (!RESOLVED.includes(facts.status)) resolvedAt = null;
  return { pauses, resolvedAt };
}

/** Most due times `isoString` remembers; all are forgotten at once past it. */
const ISO_STRINGS_MAX = 10_000;
const isoStrings = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, remembered: formatting is the costliest step of a clock (about
 * half a microsecond, two clocks per ticket on every read), and while a clock runs its due time
 * is the same instant on every read of the ticket.
 */
function isoString(ms: number): string {
  let iso = isoStrings.get(ms);
  if (iso === undefined) {
    if (isoStrings.size >= ISO_STRINGS_MAX) isoStrings.clear();
    isoStrings.set(ms, (iso = new Date(ms).toISOString()));
  }
  return iso;
}

function clock(
  created: number,
  targetMinutes: number,
  stoppedAt: number | null,
  paused: boolean,
  now: number,
  hours: BusinessHours | null,
  pauses: readonly Interval[],
): SlaClock {
  const target = targetMinutes * 60_000;
  // Pauses that matter for the due date: finished ones; a running pause ends "now".
  const dueMs = addWorkingMs(created, target, hours, pauses);
  const dueAt = Number.isFinite(dueMs) ? isoString(dueMs) : null;
  let state: SlaState;
  if (stoppedAt !== null) {
    state = workingMs(created, stoppedAt, hours, pauses) <= target ? 'met' : 'breached';
  } else {
    const elapsed = workingMs(created, now, hours, pauses);
    state = elapsed > target ? 'breached' : elapsed >= target * SLA_AT_RISK_RATIO ? 'at_risk' : 'on_track';
  }
  return { dueAt, state, paused: stoppedAt === null && paused };
}

/** The customer-visible SLA of a ticket at `now` under `policy`. */
export function computeTicketSla(facts: SlaFacts, priority: TicketPriority, policy: SlaPolicy, now: Date | number): TicketSla {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const created = parseInstant(facts.createdAt);
  const { pauses, resolvedAt } = pauseIntervals(facts, nowMs);
  const targets = policy.targets[priority];
  const paused = STOPPED.includes(facts.status);
  const firstResponseAt = facts.firstResponseAt ? parseInstant(facts.firstResponseAt) : null;
  // A ticket solved without any agent reply stops its first-response clock too.
  const firstStop = firstResponseAt ?? resolvedAt;
  return {
    firstResponse: clock(created, targets.firstResponseMinutes, firstStop, paused, nowMs, policy.businessHours, pauses),
    resolution: clock(created, targets.resolutionMinutes, resolvedAt, paused, nowMs, policy.businessHours, pauses),
  };
}

/** The next instant a running clock changes state (75 % or 100 %), or null: for schedulers. */
export function nextSlaChange(facts: SlaFacts, priority: TicketPriority, policy: SlaPolicy, now: Date | number): number | null {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  if (STOPPED.includes(facts.status)) return null;
  const created = parseInstant(facts.createdAt);
  const { pauses } = pauseIntervals(facts, nowMs);
  const targets = policy.targets[priority];
  const marks: number[] = [];
  const clocks = facts.firstResponseAt ? [targets.resolutionMinutes] : [targets.firstResponseMinutes, targets.resolutionMinutes];
  for (const minutes of clocks) {
    for (const ratio of [SLA_AT_RISK_RATIO, 1]) {
      const at = addWorkingMs(created, minutes * 60_000 * ratio, policy.businessHours, pauses);
      if (at > nowMs && Number.isFinite(at)) marks.push(at);
    }
  }
  return marks.length ? Math.min(...marks) : null;
}

/** A threshold a clock passed: 75 % (`sla.at_risk`) or 100 % (`sla.breached`) of its target. */
export interface SlaCrossing {
  clock: 'firstResponse' | 'resolution';
  type: 'sla.at_risk' | 'sla.breached';
  /** When the threshold was passed (ms). */
  at: number;
  /** Due time of the clock (ms). */
  dueAt: number;
}

/** Every threshold the ticket's clocks passed while running, up to `now`: what the scheduler records. */
export function slaCrossings(facts: SlaFacts, priority: TicketPriority, policy: SlaPolicy, now: Date | number): SlaCrossing[] {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const created = parseInstant(facts.createdAt);
  const { pauses, resolvedAt } = pauseIntervals(facts, nowMs);
  const targets = policy.targets[priority];
  const firstResponseAt = facts.firstResponseAt ? parseInstant(facts.firstResponseAt) : null;
  const clocks = [
    { clock: 'firstResponse' as const, minutes: targets.firstResponseMinutes, stop: firstResponseAt ?? resolvedAt },
    { clock: 'resolution' as const, minutes: targets.resolutionMinutes, stop: resolvedAt },
  ];
  const out: SlaCrossing[] = [];
  for (const { clock: name, minutes, stop } of clocks) {
    const limit = Math.min(stop ?? nowMs, nowMs);
    const dueAt = addWorkingMs(created, minutes * 60_000, policy.businessHours, pauses);
    const atRisk = addWorkingMs(created, minutes * 60_000 * SLA_AT_RISK_RATIO, policy.businessHours, pauses);
    if (atRisk <= limit) out.push({ clock: name, type: 'sla.at_risk', at: atRisk, dueAt });
    if (dueAt < limit) out.push({ clock: name, type: 'sla.breached', at: dueAt, dueAt });
  }
  return out;
}
