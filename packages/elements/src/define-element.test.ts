import { expect } from '@open-wc/testing';
import { LitElement } from 'lit';
import { defineElement } from './define-element.ts';
import '../../../test/browser/serializable-failures.ts';

describe('defineElement', () => {
  let warnings: unknown[][];
  let originalWarn: typeof console.warn;

  beforeEach(() => {
    warnings = [];
    originalWarn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
  });

  afterEach(() => {
    console.warn = originalWarn;
  });

  it('registers a tag, and is a silent no-op when the same class registers it again', () => {
    class First extends LitElement {}
    defineElement('portico-test-same', First);
    expect(customElements.get('portico-test-same')).to.equal(First);
    expect(() => defineElement('portico-test-same', First)).not.to.throw();
    expect(customElements.get('portico-test-same')).to.equal(First);
    expect(warnings).to.have.length(0);
  });

  it('keeps the first class and warns once when another class claims the tag', () => {
    class First extends LitElement {}
    class Second extends LitElement {}
    defineElement('portico-test-other', First);
    expect(() => defineElement('portico-test-other', Second)).not.to.throw();
    expect(() => defineElement('portico-test-other', Second)).not.to.throw();
    expect(customElements.get('portico-test-other')).to.equal(First);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.contain('portico-test-other');
  });

  it('never throws on an invalid tag name', () => {
    class Bad extends LitElement {}
    expect(() => defineElement('NotAValidName', Bad)).not.to.throw();
    expect(warnings).to.have.length(1);
  });
});
