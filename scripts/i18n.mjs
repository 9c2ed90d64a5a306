#!/usr/bin/env node
// Translations of @portico/elements (lit-localize, runtime mode). See docs/i18n.md.
//
//   npm run i18n            check: every msg() id has a translation in every target locale,
//                           placeholders match, and src/locales/*.ts are up to date (exit 1 if not)
//   npm run i18n -- update  extract new ids into xliff/*.xlf (without a <target>), then
//                           regenerate src/locales/*.ts from the xliff files
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ELEMENTS = resolve(import.meta.dirname, '../packages/elements');

function localizer(output = {}) {
  const config = readConfigFileAndWriteSchema(join(ELEMENTS, 'lit-localize.json'));
  // Absolute paths: lit-localize resolves some of them against the working directory.
  config.output = {
    ...config.output,
    outputDir: resolve(ELEMENTS, output.outputDir ?? config.output.outputDir),
    localeCodesModule: resolve(ELEMENTS, output.localeCodesModule ?? config.output.localeCodesModule),
  };
  return { config, localizer: new RuntimeLitLocalizer(config) };
}

/** Problems with the translations, as sentences; empty when all is well. */
export async function checkTranslations() {
  const { config, localizer: l10n } = localizer();
  const problems = [];
  const { messages, errors } = l10n.extractSourceMessages();
  for (const error of errors) problems.push(`source: ${typeof error.messageText === 'string' ? error.messageText : error.messageText.messageText}`);
  const { translations } = l10n.readTranslationsSync();
  const ids = new Set(messages.map((m) => m.name));
  for (const locale of config.targetLocales) {
    const translated = new Set((translations.get(locale) ?? []).map((m) => m.name));
    const missing = messages.filter((m) => !translated.has(m.name)).map((m) => m.name);
    if (missing.length) problems.push(`${locale}: ${missing.length} msg id(s) without a translation: ${missing.join(', ')}`);
    const stale = [...translated].filter((id) => !ids.has(id));
    if (stale.length) problems.push(`${locale}: translations for ids no longer in the source (run \`npm run i18n -- update\`): ${stale.join(', ')}`);
  }
  problems.push(...l10n.validateTranslations().errors);

  // The generated modules must match what the xliff files say.
  const dir = mkdtempSync(join(tmpdir(), 'portico-i18n-'));
  try {
    if (problems.length === 0) {
      // Same localizer (one TypeScript analysis), output redirected to the temp dir.
      const committedDir = config.output.outputDir;
      config.output = { ...config.output, outputDir: dir, localeCodesModule: join(dir, 'locale-codes.ts') };
      await l10n.build();
      config.output = { ...config.output, outputDir: committedDir };
      for (const file of [...config.targetLocales.map((l) => `${l}.ts`), 'locale-codes.ts']) {
        const committed = join(config.output.outputDir, file);
        let current = '';
        try {
          current = readFileSync(committed, 'utf8');
        } catch {
          // missing: reported below
        }
        if (current !== readFileSync(join(dir, file), 'utf8')) problems.push(`src/locales/${file} is out of date: run \`npm run i18n -- update\``);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { problems, count: messages.length, locales: config.targetLocales };
}

async function update() {
  const { localizer: l10n } = localizer();
  await l10n.writeInterchangeFiles();
  // Build from a fresh instance so it reads the xliff files just written.
  const { localizer: builder } = localizer();
  const { translations } = builder.readTranslationsSync();
  await builder.build();
  const { messages } = builder.extractSourceMessages();
  for (const [locale, list] of translations) {
    const done = new Set(list.map((m) => m.name));
    const todo = messages.filter((m) => !done.has(m.name)).length;
    console.log(
      `${locale}: ${messages.length - todo}/${messages.length} translated${todo ? ` — add <target> to ${todo} unit(s) in xliff/${locale}.xlf, then run this again` : ''}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'update') {
    await update();
  } else {
    const { problems, count, locales } = await checkTranslations();
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exit(1);
    }
    console.log(`i18n: ${count} messages, translated into ${locales.join(', ')}; generated modules up to date.`);
  }
}
