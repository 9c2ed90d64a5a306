/**
 * The Storybook toolbars: who is signed in, theme, locale and text direction.
 * Stories pin any of them with `globals: { contact: DEMO_EMAILS.ada }` (the per-role stories do).
 */
import { DEMO_EMAILS, demoSeed } from '@portico/server';

/** A demo contact as the "Signed in as" toolbar lists it. */
export interface DemoUser {
  email: string;
  name: string;
  role: string;
  account: string;
  status: string;
}

const seed = demoSeed(new Date());

/** Every demo contact, in seed order (Acme first). */
export const DEMO_USERS: readonly DemoUser[] = seed.contacts.map((c) => ({
  email: c.email,
  name: c.name,
  role: c.role,
  account: seed.accounts.find((a) => a.id === c.accountId)?.name ?? c.accountId,
  status: c.status,
}));

/** Who stories sign in as unless told otherwise: a member of Acme Corp. */
export const DEFAULT_CONTACT = DEMO_EMAILS.mia;

export const THEMES = ['light', 'dark', 'branded', 'auto'] as const;
export type StoryTheme = (typeof THEMES)[number];

/**
 * The "branded" example theme: what a vendor with a violet brand and rounder corners
 * would set (the same values as the first example in docs/theming.md).
 */
export const BRANDED_TOKENS: Readonly<Record<string, string>> = {
  '--portico-color-accent': '#6d28d9',
  '--portico-color-accent-contrast': '#ffffff',
  '--portico-color-surface': '#fdfcff',
  '--portico-color-surface-alt': '#f3effd',
  '--portico-color-text': '#1e1533',
  '--portico-color-muted': '#5b5470',
  '--portico-color-border': '#ddd6f3',
  '--portico-font-family': "'Avenir Next', 'Segoe UI', system-ui, sans-serif",
  '--portico-radius': '0.75rem',
};

/** English, German and Arabic ship translations; French and Japanese show the English fallback with local dates. */
export const LOCALES = { en: 'English', de: 'Deutsch', ar: 'العربية', fr: 'Français', ja: '日本語' } as const;

export const globalTypes = {
  contact: {
    description: 'Sign in as a demo contact (the role changes what each widget shows)',
    toolbar: {
      title: 'Signed in as',
      icon: 'user',
      items: DEMO_USERS.map((u) => ({
        value: u.email,
        title: `${u.name} — ${u.role}${u.status === 'active' ? '' : ` (${u.status})`}`,
        right: u.account,
      })),
      dynamicTitle: true,
    },
  },
  theme: {
    description: 'Theme: the provider’s `theme` attribute, or brand tokens',
    toolbar: {
      title: 'Theme',
      icon: 'paintbrush',
      items: [
        { value: 'light', title: 'Light', icon: 'sun' },
        { value: 'dark', title: 'Dark', icon: 'moon' },
        { value: 'branded', title: 'Branded (tokens)', icon: 'heart' },
        { value: 'auto', title: 'Follow the OS', icon: 'mirror' },
      ],
      dynamicTitle: true,
    },
  },
  locale: {
    description: 'Language of the widgets and of dates and numbers (the provider’s `lang`)',
    toolbar: {
      title: 'Locale',
      icon: 'globe',
      items: Object.entries(LOCALES).map(([value, title]) => ({ value, title })),
      dynamicTitle: true,
    },
  },
  dir: {
    description: 'Text direction',
    toolbar: {
      title: 'Direction',
      icon: 'transfer',
      items: [
        { value: 'ltr', title: 'Left to right' },
        { value: 'rtl', title: 'Right to left' },
      ],
      dynamicTitle: true,
    },
  },
};

export const initialGlobals = { contact: DEFAULT_CONTACT, theme: 'light', locale: 'en', dir: 'ltr' };
