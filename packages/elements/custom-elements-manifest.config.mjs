// Custom Elements Manifest for @portico/elements, from the elements' JSDoc.
// Run from the repo root with `npm run analyze` (writes custom-elements.json here).
// Globs are explicit: walking the whole tree would enter node_modules of other packages.
import { elementFacts, sharedTokens } from '../../scripts/lib/element-sources.mjs';

/**
 * The shared design tokens are documented once, in styles/tokens.ts; this adds them to the
 * `cssProperties` of every element whose styles include them (an element's own line wins).
 */
function sharedTokensPlugin() {
  return {
    name: 'portico-shared-tokens',
    packageLinkPhase({ customElementsManifest }) {
      // The globber lists files in no fixed order; the checked-in manifest must not churn.
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      const { documented } = sharedTokens();
      const usesTokens = new Map(elementFacts().map((e) => [e.tag, e.code.usesTokens]));
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          // Events the analyzer guessed from `new CustomEvent(type, …)` in a helper carry the
          // variable's name and no description; the JSDoc `@fires` lines are the contract
          // (scripts/check-manifest.mjs checks them against the code).
          if (decl.events) decl.events = decl.events.filter((e) => e.description);
          if (!usesTokens.get(decl.tagName)) continue;
          const own = new Set((decl.cssProperties ?? []).map((p) => p.name));
          decl.cssProperties = [
            ...(decl.cssProperties ?? []),
            ...[...documented].filter(([name]) => !own.has(name)).map(([name, description]) => ({ name, description })),
          ];
        }
      }
    },
  };
}

/**
 * The manifest is the public contract (Storybook's Controls, editors and the React wrappers
 * read it): members that are private or protected (TypeScript's `private`/`protected`, or a
 * name starting with `_` or `#`) are internals and are left out. So is `static styles`.
 */
function publicApiOnlyPlugin() {
  const internal = (member) =>
    member.privacy === 'private' || member.privacy === 'protected' || /^[_#]/.test(member.name) || (member.static && member.name === 'styles');
  return {
    name: 'portico-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (decl.kind !== 'class') continue;
          if (decl.members) decl.members = decl.members.filter((m) => !internal(m));
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/internal/**'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [sharedTokensPlugin(), publicApiOnlyPlugin()],
};
