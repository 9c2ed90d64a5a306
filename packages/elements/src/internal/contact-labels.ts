/**
 * Labels of contact roles and statuses, shared by the contact manager and the activity
 * sentences. Functions, because msg() must run at render time to follow the active locale;
 * keyed by core's enums, so the compiler notices a new role or status.
 */
import { msg } from '@lit/localize';
import type { ContactStatus, Role } from '@portico/core';

export const ROLE_LABELS: Readonly<Record<Role, () => string>> = {
  admin: () => msg('Admin', { id: 'contacts.role.admin' }),
  member: () => msg('Member', { id: 'contacts.role.member' }),
  billing: () => msg('Billing', { id: 'contacts.role.billing' }),
  requester: () => msg('Requester', { id: 'contacts.role.requester' }),
  viewer: () => msg('Viewer', { id: 'contacts.role.viewer' }),
};

export const STATUS_LABELS: Readonly<Record<ContactStatus, () => string>> = {
  active: () => msg('Active', { id: 'contacts.status.active' }),
  invited: () => msg('Invited', { id: 'contacts.status.invited' }),
  deactivated: () => msg('Deactivated', { id: 'contacts.status.deactivated' }),
};

/** A role's label, or the raw value when it is not a known role. */
export const roleLabel = (role: unknown): string => ROLE_LABELS[role as Role]?.() ?? String(role ?? '');
