/**
 * custom-elements.json is a valid Custom Elements Manifest (the official JSON schema, from the
 * `custom-elements-manifest` package), describes every element, and lists only the public API,
 * which is what Storybook's Controls, editors and the React wrappers show.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('custom-elements-manifest/schema.json'), 'utf8')) as object;
const manifest = JSON.parse(readFileSync('packages/elements/custom-elements.json', 'utf8')) as {
  modules: {
    path: string;
    declarations?: {
      kind: string;
      customElement?: boolean;
      tagName?: string;
      summary?: string;
      description?: string;
      members?: { name: string; privacy?: string }[];
    }[];
  }[];
};
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);

describe('custom-elements.json', () => {
  it('passes the official Custom Elements Manifest schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(manifest);
    assert.equal(valid, true, JSON.stringify(validate.errors?.slice(0, 10), null, 2));
  });

  it('describes every element with a summary and a description', () => {
    assert.equal(elements.length, 9);
    for (const el of elements) {
      assert.ok(el.summary?.trim(), `<${el.tagName}> has no summary`);
      assert.ok(el.description?.trim(), `<${el.tagName}> has no description`);
    }
  });

  it('lists only public members (no private fields, tasks or controllers)', () => {
    for (const el of elements) {
      for (const member of el.members ?? []) {
        assert.ok(member.privacy === undefined || member.privacy === 'public', `<${el.tagName}> lists ${member.privacy} ${member.name}`);
        assert.doesNotMatch(member.name, /^[_#]|Task$|^data$|^emit$/, `<${el.tagName}> lists the internal ${member.name}`);
      }
    }
  });
});
