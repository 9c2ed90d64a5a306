import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PorticoError, isProblem } from '../src/errors.ts';
import { ProblemSchema } from '../src/problem.ts';

const base = { type: 'about:blank', title: 'Invalid', status: 422, code: 'validation_failed' };

describe('isProblem', () => {
  // The hand-written check must agree with the zod schema it stands in for.
  const cases: [string, unknown][] = [
    ['a minimal problem', base],
    ['with detail', { ...base, detail: 'Subject is required' }],
    ['with fieldErrors', { ...base, fieldErrors: { subject: ['Required'], body: [] } }],
    ['null', null],
    ['an array', [base]],
    ['a string', 'Bad Request'],
    ['no code', { type: 'about:blank', title: 'x', status: 400 }],
    ['status as text', { ...base, status: '422' }],
    ['detail not text', { ...base, detail: 42 }],
    ['fieldErrors as a list', { ...base, fieldErrors: [['subject', 'Required']] }],
    ['a field with one message, not a list', { ...base, fieldErrors: { subject: 'Required' } }],
    ['a message that is not text', { ...base, fieldErrors: { subject: [1] } }],
  ];
  for (const [name, body] of cases) {
    it(`${name}: as the schema says`, () => {
      assert.equal(isProblem(body), ProblemSchema.safeParse(body).success);
    });
  }

  it('PorticoError.fromProblem keeps the field errors of a problem and names the status otherwise', () => {
    const error = PorticoError.fromProblem(422, { ...base, detail: 'Check the form', fieldErrors: { subject: ['Required'] } });
    assert.equal(error.message, 'Check the form');
    assert.deepEqual(error.fieldErrors, { subject: ['Required'] });
    assert.equal(PorticoError.fromProblem(502, '<html>').message, 'Request failed with status 502');
  });
});
