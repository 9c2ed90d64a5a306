import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_SLA_POLICIES,
  addWorkingMs,
  computeTicketSla,
  nextSlaChange,
  parseInstant,
  slaCrossings,
  validateBusinessHours,
  workingMs,
  zonedTimeToUtc,
  type BusinessHours,
  type SlaFacts,
  type SlaPolicy,
  type TicketStatus,
} from '@portico/core';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

/** A 24/7 policy whose every priority has these targets (minutes). */
const around = (firstResponseMinutes: number, resolutionMinutes: number): SlaPolicy => ({
  targets: {
    low: { firstResponseMinutes, resolutionMinutes },
    normal: { firstResponseMinutes, resolutionMinutes },
    high: { firstResponseMinutes, resolutionMinutes },
    urgent: { firstResponseMinutes, resolutionMinutes },
  },
  businessHours: null,
});
const withHours = (policy: SlaPolicy, businessHours: BusinessHours): SlaPolicy => ({ ...policy, businessHours });

const facts = (createdAt: string, more: Partial<SlaFacts> = {}): SlaFacts => ({
  createdAt,
  status: 'open',
  updatedAt: createdAt,
  statusChanges: [],
  firstResponseAt: null,
  ...more,
});
const change = (at: string, to: TicketStatus) => ({ at, to });

describe('SLA clock, around the clock', () => {
  const policy = around(60, 8 * 60);
  const created = '2026-03-02T10:00:00.000Z';

  it('is due exactly target minutes after creation', () => {
    const sla = computeTicketSla(facts(created), 'normal', policy, ms(created));
    assert.equal(sla.firstResponse.dueAt, '2026-03-02T11:00:00.000Z');
    assert.equal(sla.resolution.dueAt, '2026-03-02T18:00:00.000Z');
    assert.equal(sla.firstResponse.state, 'on_track');
    assert.equal(sla.firstResponse.paused, false);
  });

  it('turns at_risk at 75 % and breached past 100 %', () => {
    const at = (minutes: number) => computeTicketSla(facts(created), 'normal', policy, ms(created) + minutes * MIN).firstResponse.state;
    assert.equal(at(44), 'on_track');
    assert.equal(at(45), 'at_risk');
    assert.equal(at(60), 'at_risk');
    assert.equal(at(61), 'breached');
  });

  it('is met by an agent reply before the due time and stays met', () => {
    const f = facts(created, { firstResponseAt: '2026-03-02T10:50:00.000Z' });
    const sla = computeTicketSla(f, 'normal', policy, ms(created) + 5 * HOUR);
    assert.equal(sla.firstResponse.state, 'met');
    assert.equal(sla.resolution.state, 'on_track');
  });

  it('is breached when the first reply came late, even after the fact', () => {
    const f = facts(created, { firstResponseAt: '2026-03-02T11:30:00.000Z' });
    assert.equal(computeTicketSla(f, 'normal', policy, ms(created) + 2 * HOUR).firstResponse.state, 'breached');
  });

  it('pauses while pending: the pending time moves the due time', () => {
    const f = facts(created, {
      status: 'open',
      statusChanges: [change('2026-03-02T10:20:00.000Z', 'pending'), change('2026-03-02T12:20:00.000Z', 'open')],
    });
    const sla = computeTicketSla(f, 'normal', policy, ms('2026-03-02T12:30:00.000Z'));
    assert.equal(sla.firstResponse.dueAt, '2026-03-02T13:00:00.000Z');
    // 30 minutes of working time elapsed of 60: on track although 2.5 h passed.
    assert.equal(sla.firstResponse.state, 'on_track');
  });

  it('while paused: reports paused, freezes the state and projects the due time from now', () => {
    const f = facts(created, { status: 'pending', statusChanges: [change('2026-03-02T10:50:00.000Z', 'pending')] });
    const sla = computeTicketSla(f, 'normal', policy, ms('2026-03-02T15:00:00.000Z'));
    assert.equal(sla.firstResponse.paused, true);
    assert.equal(sla.firstResponse.state, 'at_risk'); // 50 of 60 minutes used before the pause
    assert.equal(sla.firstResponse.dueAt, '2026-03-02T15:10:00.000Z');
  });

  it('assumes a pending ticket without history entered pending at its last update', () => {
    const f = facts(created, { status: 'pending', updatedAt: '2026-03-02T10:10:00.000Z' });
    const sla = computeTicketSla(f, 'normal', policy, ms('2026-03-03T10:00:00.000Z'));
    assert.equal(sla.firstResponse.state, 'on_track');
    assert.equal(sla.firstResponse.dueAt, '2026-03-03T10:50:00.000Z');
  });

  it('resolution is met by solving, and a reopened ticket resumes where it stopped', () => {
    const solvedAt = '2026-03-02T14:00:00.000Z';
    const solved = facts(created, { status: 'solved', firstResponseAt: '2026-03-02T10:30:00.000Z', statusChanges: [change(solvedAt, 'solved')] });
    assert.equal(computeTicketSla(solved, 'normal', policy, ms('2026-03-05T00:00:00.000Z')).resolution.state, 'met');

    const reopened = facts(created, {
      status: 'open',
      firstResponseAt: '2026-03-02T10:30:00.000Z',
      statusChanges: [change(solvedAt, 'solved'), change('2026-03-03T14:00:00.000Z', 'open')],
    });
    const sla = computeTicketSla(reopened, 'normal', policy, ms('2026-03-03T15:00:00.000Z'));
    // 4 h before solving + 1 h after reopening = 5 of 8 h; due 3 h from now.
    assert.equal(sla.resolution.state, 'on_track');
    assert.equal(sla.resolution.dueAt, '2026-03-03T18:00:00.000Z');
  });

  it('a ticket solved without any agent reply stops its first-response clock too', () => {
    const f = facts(created, { status: 'solved', statusChanges: [change('2026-03-02T10:40:00.000Z', 'solved')] });
    const sla = computeTicketSla(f, 'normal', policy, ms('2026-03-04T00:00:00.000Z'));
    assert.equal(sla.firstResponse.state, 'met');
    assert.equal(sla.firstResponse.paused, false);
  });

  it('nextSlaChange names the next 75 % or 100 % crossing', () => {
    assert.equal(nextSlaChange(facts(created), 'normal', policy, ms(created)), ms(created) + 45 * MIN);
    assert.equal(nextSlaChange(facts(created), 'normal', policy, ms(created) + 50 * MIN), ms(created) + 60 * MIN);
    const answered = facts(created, { firstResponseAt: '2026-03-02T10:10:00.000Z' });
    assert.equal(nextSlaChange(answered, 'normal', policy, ms(created) + 50 * MIN), ms(created) + 6 * HOUR);
    assert.equal(nextSlaChange(facts(created, { status: 'pending' }), 'normal', policy, ms(created)), null);
  });
});

describe('SLA clock, business hours', () => {
  const weekdays9to5 = (timeZone: string): BusinessHours => ({ timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });

  it('counts only working time: Friday 16:00 + 2 h is Monday 10:00', () => {
    const policy = withHours(around(120, 600), weekdays9to5('UTC'));
    const sla = computeTicketSla(facts('2026-03-06T16:00:00.000Z'), 'normal', policy, ms('2026-03-06T16:00:00.000Z'));
    assert.equal(sla.firstResponse.dueAt, '2026-03-09T10:00:00.000Z');
    // Over the weekend no working time passes: still on track on Sunday night.
    assert.equal(computeTicketSla(facts('2026-03-06T16:00:00.000Z'), 'normal', policy, ms('2026-03-08T23:00:00.000Z')).firstResponse.state, 'on_track');
  });

  it('one instant read in several zones, again and again, keeps each zone its own local day', () => {
    // Friday 23:30 UTC is already Saturday in Tokyo and Friday afternoon in Los Angeles; the clocks
    // remember local days and windows per zone, so reading them interleaved must not mix them.
    const created = '2026-03-06T23:30:00.000Z';
    const expected: Record<string, string> = {
      UTC: '2026-03-09T10:00:00.000Z', // Monday 09:00 + 1 h
      'Asia/Tokyo': '2026-03-09T01:00:00.000Z', // Monday 09:00 + 1 h JST
      'America/Los_Angeles': '2026-03-07T00:30:00.000Z', // Friday 15:30 + 1 h PST
    };
    for (let round = 0; round < 3; round++) {
      for (const [zone, dueAt] of Object.entries(expected)) {
        const sla = computeTicketSla(facts(created), 'normal', withHours(around(60, 600), weekdays9to5(zone)), ms(created));
        assert.equal(sla.firstResponse.dueAt, dueAt, `${zone}, round ${round}`);
      }
    }
  });

  it('a ticket filed on Saturday starts counting on Monday at 9', () => {
    const policy = withHours(around(60, 600), weekdays9to5('UTC'));
    const sla = computeTicketSla(facts('2026-03-07T12:00:00.000Z'), 'normal', policy, ms('2026-03-07T12:00:00.000Z'));
    assert.equal(sla.firstResponse.dueAt, '2026-03-09T10:00:00.000Z');
  });

  it('uses the account time zone: 9:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    const policy = withHours(around(60, 600), weekdays9to5('Europe/Berlin'));
    const winter = computeTicketSla(facts('2026-02-02T06:00:00.000Z'), 'normal', policy, ms('2026-02-02T06:00:00.000Z'));
    assert.equal(winter.firstResponse.dueAt, '2026-02-02T09:00:00.000Z');
    const summer = computeTicketSla(facts('2026-07-06T05:00:00.000Z'), 'normal', policy, ms('2026-07-06T05:00:00.000Z'));
    assert.equal(summer.firstResponse.dueAt, '2026-07-06T08:00:00.000Z');
  });

  it('crosses a DST change: New York Friday 16:00 EST + 2 h is Monday 10:00 EDT', () => {
    // US clocks spring forward on Sunday 2026-03-08.
    const policy = withHours(around(120, 600), weekdays9to5('America/New_York'));
    const created = '2026-03-06T21:00:00.000Z'; // Fri 16:00 EST (UTC−5)
    const sla = computeTicketSla(facts(created), 'normal', policy, ms(created));
    assert.equal(sla.firstResponse.dueAt, '2026-03-09T14:00:00.000Z'); // Mon 10:00 EDT (UTC−4)
  });

  it('a day of 23 hours counts 23 hours of round-the-clock business time', () => {
    const allDay: BusinessHours = { timeZone: 'Europe/Berlin', days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '24:00' };
    // Berlin springs forward on Sunday 2026-03-29: that local day has 23 hours.
    const from = ms('2026-03-28T23:00:00.000Z'); // Sun 00:00 CET
    const to = ms('2026-03-29T22:00:00.000Z'); // Mon 00:00 CEST
    assert.equal(workingMs(from, to, allDay), 23 * HOUR);
    assert.equal(addWorkingMs(from, 24 * HOUR, allDay), to + HOUR);
  });

  it('moves a local time skipped by DST forward by the gap, and takes the first of a repeated one', () => {
    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 CET jumps to 03:00 CEST): it becomes 03:30 CEST.
    assert.equal(iso(zonedTimeToUtc(2026, 3, 29, 150, 'Europe/Berlin')), '2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25: the first (CEST) occurrence is 00:30 UTC.
    assert.equal(iso(zonedTimeToUtc(2026, 10, 25, 150, 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
    assert.equal(iso(zonedTimeToUtc(2026, 1, 15, 9 * 60, 'Asia/Kolkata')), '2026-01-15T03:30:00.000Z');
  });

  it('pending time outside business hours does not move the due time; inside it does', () => {
    const policy = withHours(around(120, 600), weekdays9to5('UTC'));
    const created = '2026-03-02T15:00:00.000Z'; // Monday
    const overnight = facts(created, {
      statusChanges: [change('2026-03-02T18:00:00.000Z', 'pending'), change('2026-03-03T08:00:00.000Z', 'open')],
    });
    assert.equal(computeTicketSla(overnight, 'normal', policy, ms('2026-03-03T09:00:00.000Z')).firstResponse.dueAt, '2026-03-02T17:00:00.000Z');
    const daytime = facts(created, {
      statusChanges: [change('2026-03-02T15:30:00.000Z', 'pending'), change('2026-03-02T16:30:00.000Z', 'open')],
    });
    assert.equal(computeTicketSla(daytime, 'normal', policy, ms('2026-03-02T16:30:00.000Z')).firstResponse.dueAt, '2026-03-03T10:00:00.000Z');
  });

  it('working time never exceeds wall time and addWorkingMs inverts workingMs', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: ms('2025-01-01T00:00:00Z'), max: ms('2027-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 20 * 8 * 60 }),
        (timeZone, from, minutes) => {
          const hours = weekdays9to5(timeZone);
          const due = addWorkingMs(from, minutes * MIN, hours);
          assert.equal(workingMs(from, due, hours), minutes * MIN);
          assert.ok(due - from >= minutes * MIN);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the defaults: premier round the clock, standard weekdays in business hours', () => {
    assert.equal(DEFAULT_SLA_POLICIES.premier.businessHours, null);
    assert.equal(DEFAULT_SLA_POLICIES.standard.targets.urgent.firstResponseMinutes < DEFAULT_SLA_POLICIES.standard.targets.low.firstResponseMinutes, true);
    validateBusinessHours(DEFAULT_SLA_POLICIES.standard.businessHours);
  });

  it('rejects bad business hours with a readable reason', () => {
    assert.throws(() => validateBusinessHours({ timeZone: 'Mars/Olympus', days: [1], start: '09:00', end: '17:00' }), /Unknown time zone/);
    assert.throws(() => validateBusinessHours({ timeZone: 'UTC', days: [], start: '09:00', end: '17:00' }), /Business days/);
    assert.throws(() => validateBusinessHours({ timeZone: 'UTC', days: [1], start: '17:00', end: '09:00' }), /end after/);
    assert.throws(() => validateBusinessHours({ timeZone: 'UTC', days: [1], start: '9am', end: '17:00' }), /HH:MM/);
  });
});

describe('SLA crossings (what the scheduler records)', () => {
  const policy = around(60, 8 * 60);
  const created = '2026-03-02T10:00:00.000Z';

  it('lists each passed threshold once, at the instant it was passed', () => {
    assert.deepEqual(slaCrossings(facts(created), 'normal', policy, ms(created) + 44 * MIN), []);
    assert.deepEqual(slaCrossings(facts(created), 'normal', policy, ms(created) + 61 * MIN), [
      { clock: 'firstResponse', type: 'sla.at_risk', at: ms(created) + 45 * MIN, dueAt: ms(created) + 60 * MIN },
      { clock: 'firstResponse', type: 'sla.breached', at: ms(created) + 60 * MIN, dueAt: ms(created) + 60 * MIN },
    ]);
  });

  it('stops at the first reply and skips pauses', () => {
    const answered = facts(created, { firstResponseAt: '2026-03-02T10:50:00.000Z' });
    assert.deepEqual(
      slaCrossings(answered, 'normal', policy, ms(created) + 3 * HOUR).map((c) => c.type),
      ['sla.at_risk'],
    );
    const pending = facts(created, { status: 'pending', statusChanges: [change('2026-03-02T10:30:00.000Z', 'pending')] });
    assert.deepEqual(slaCrossings(pending, 'normal', policy, ms(created) + 10 * HOUR), []);
  });
});

describe('parseInstant (the clocks read every timestamp through it)', () => {
  it('equals Date.parse for instants as toISOString writes them', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (instant) => {
        const text = new Date(instant).toISOString();
        assert.equal(parseInstant(text), Date.parse(text));
        assert.equal(parseInstant(text), instant);
      }),
      { numRuns: 2000 },
    );
  });

  it('equals Date.parse for text of that shape with any digits, and for other text', () => {
    const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    // The same shape with one character replaced: a letter, a sign, a space or another separator.
    const bent = fc
      .tuple(shaped, fc.nat({ max: 23 }), fc.constantFrom('x', '-', '+', ' ', ':', '.', 'T', 'Z', '9', '\u0660'))
      .map(([text, at, char]) => text.slice(0, at) + char + text.slice(at + 1));
    fc.assert(
      fc.property(fc.oneof(shaped, bent, fc.string({ maxLength: 30 })), (text) => {
        assert.equal(parseInstant(text), Date.parse(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of [
      '2024-02-31T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T23:59:60.000Z',
      '0099-01-01T00:00:00.000Z',
      '2024-01-01T00:00:00Z',
      '',
    ]) {
      assert.equal(parseInstant(text), Date.parse(text), text);
    }
  });
});
