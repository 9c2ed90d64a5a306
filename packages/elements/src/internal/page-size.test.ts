import { expect } from '@open-wc/testing';
import { MAX_PAGE_SIZE, pageSizeOf } from './page-size.ts';

describe('pageSizeOf (every widget’s page-size attribute)', () => {
  const host = document.createElement('portico-timeline');

  it('takes a whole number from 1 to 100, written as an attribute or a number', () => {
    expect(pageSizeOf(host, '1', 25)).to.equal(1);
    expect(pageSizeOf(host, 40, 25)).to.equal(40);
    expect(pageSizeOf(host, String(MAX_PAGE_SIZE), 25)).to.equal(100);
  });

  it('falls back on anything else and says so once, naming the element and the value', () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      for (const bad of ['0', '101', '2.5', 'lots', '101']) expect(pageSizeOf(host, bad, 25)).to.equal(25);
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(4);
    expect(warnings[0]).to.equal('[portico] <portico-timeline> page-size="0" must be a whole number from 1 to 100; using 25.');
  });
});
