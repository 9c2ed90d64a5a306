/**
 * Feature conformance cases, run by `storeConformance` against every store. Each feature
 * adds one file here exporting `(seeded) => void` that registers node:test cases, and one
 * line below.
 */
import type { SeedData, Store } from '@portico/server';
import { contactCases } from './contacts.ts';
import { ticketDetailCases } from './ticket-detail.ts';
import { ticketFormCases } from './ticket-form.ts';
import { activityCases } from './activity.ts';
import { knowledgeBaseCases } from './knowledge-base.ts';
import { webhookCases } from './webhooks.ts';
import { provisioningCases } from './provisioning.ts';
import { liveCases } from './live.ts';
import { agentCases } from './agent.ts';
import { countCases } from './counts.ts';
import { cappedCountCases } from './capped-counts.ts';

/** A fresh store loaded with the demo seed; close it when done. */
export type Seeded = () => Promise<{ store: Store; seed: SeedData }>;
export type FeatureCases = (seeded: Seeded) => void;

export const FEATURE_CASES: readonly FeatureCases[] = [
  contactCases,
  ticketDetailCases,
  ticketFormCases,
  activityCases,
  knowledgeBaseCases,
  webhookCases,
  provisioningCases,
  liveCases,
  agentCases,
  countCases,
  cappedCountCases,
];
