/** A zod issue as far as field errors need it (zod's `unrecognized_keys` issues also list `keys`). */
interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string | undefined;
  keys?: readonly string[] | undefined;
}

/**
 * Turns zod issues into `{ field: [messages] }` for problem+json and forms. A strict object's
 * unknown field (a typo like `teir`, or a flag the route does not take) is reported under its
 * own name, so the caller sees which field was refused.
 */
export function fieldErrorsOf(issues: readonly FieldIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      for (const name of issue.keys) (out[[...issue.path.map(String), name].join('.')] ??= []).push(`Unknown field "${name}"`);
      continue;
    }
    const key = issue.path.map(String).join('.') || '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
