// The administrator's pages under /triage/admin. Never any case content.
import type { VNode } from 'preact';
import { AccountFormPage } from './AccountFormPage.tsx';
import { AccountPage } from './AccountPage.tsx';
import { AccountsPage } from './AccountsPage.tsx';
import { ConfirmPage } from './ConfirmPage.tsx';
import { NotificationSettingsPage } from './NotificationSettingsPage.tsx';
import { isRetentionKey } from './retention.ts';
import { RetentionPage } from './RetentionPage.tsx';
import { RetentionRulePage } from './RetentionRulePage.tsx';
import { SupportContactsPage } from './SupportContactsPage.tsx';

const RULE = /^\/triage\/admin\/retention\/([a-z_]+)$/;
const ACCOUNT = /^\/triage\/admin\/accounts\/([^/]+)(?:\/(edit|deactivate|reset))?$/;

/** The page for `path`, or null when it is no admin page (the caller shows its own page for that). */
export function adminPage(path: string, selfId: string): VNode | null {
  if (path === '/triage/admin') return <AccountsPage />;
  if (path === '/triage/admin/new') return <AccountFormPage />;
  if (path === '/triage/admin/notifications') return <NotificationSettingsPage />;
  if (path === '/triage/admin/support') return <SupportContactsPage />;
  if (path === '/triage/admin/retention') return <RetentionPage />;
  const rule = RULE.exec(path)?.[1];
  if (rule !== undefined) return isRetentionKey(rule) ? <RetentionRulePage key={rule} ruleKey={rule} /> : null;
  const m = ACCOUNT.exec(path);
  if (!m?.[1]) return null;
  const id = decodeURIComponent(m[1]);
  if (m[2] === 'edit') return <AccountFormPage id={id} />;
  if (m[2] === 'deactivate' || m[2] === 'reset') return <ConfirmPage id={id} action={m[2]} />;
  return <AccountPage id={id} selfId={selfId} />;
}
