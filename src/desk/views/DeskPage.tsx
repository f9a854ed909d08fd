import type { ComponentChildren } from 'preact';
import type { User } from '../../accounts/service.js';
import { can } from '../../accounts/policy.js';
import { Layout } from '../../web/views/Layout.js';
import { deskMessages as m } from '../messages.js';
import { CsrfField } from './fields.js';

/** What every desk page knows besides its own data. */
export interface DeskContext {
  siteName: string;
  publicUrl: string;
  timeZone: string;
  /** Path of this page, for the canonical link and the current nav item. */
  path: string;
  /** Null on the login page and on errors before a session was read. */
  user: User | null;
  csrfToken: string;
  /** Comments waiting for a moderator, shown beside the menu item; only for roles that moderate. */
  moderationWaiting?: number | null;
}

export type NavKey = 'dashboard' | 'new-brief' | 'stories' | 'entities' | 'moderation' | 'users' | 'webhooks';

function DeskNav({ ctx, current }: { ctx: DeskContext; current?: NavKey }) {
  const user = ctx.user;
  if (!user) return null;
  const link = (key: NavKey, href: string, label: string, extra?: ComponentChildren) => (
    <li><a href={href} aria-current={current === key ? 'page' : undefined}>{label}{extra}</a></li>
  );
  const waiting = ctx.moderationWaiting;
  return (
    <nav aria-label={m.mainNav}>
      <ul>
        {link('dashboard', '/desk', m.dashboard)}
        {can(user, 'brief.write') ? link('new-brief', '/desk/briefs/new', m.newBrief) : null}
        {can(user, 'story.manage') ? link('stories', '/desk/stories', m.stories) : null}
        {can(user, 'entity.manage') ? link('entities', '/desk/entities', m.entities) : null}
        {can(user, 'comment.moderate')
          ? link('moderation', '/desk/moderation', m.moderation, waiting ? <> <span class="nav-count">{waiting}<span class="visually-hidden"> {m.moderationWaiting}</span></span></> : null)
          : null}
        {can(user, 'user.manage') ? link('users', '/desk/users', m.users) : null}
        {can(user, 'webhook.manage') ? link('webhooks', '/desk/webhooks', m.webhooksPage.title) : null}
      </ul>
    </nav>
  );
}

/** The desk's page shell: header with navigation and log-out, one h1, the content. */
export function DeskPage(props: { ctx: DeskContext; title: string; current?: NavKey; head?: ComponentChildren; children: ComponentChildren }) {
  const { ctx } = props;
  const header = (
    <header class="desk-header">
      <a class="desk-name" href="/desk">{ctx.siteName} {m.deskName}</a>
      <DeskNav ctx={ctx} current={props.current} />
      {ctx.user ? (
        <form class="logout" method="post" action="/desk/logout">
          <CsrfField token={ctx.csrfToken} />
          <span class="signed-in">{m.signedInAs} {ctx.user.displayName} ({m.role[ctx.user.role]})</span>{' '}
          <button type="submit">{m.logOut}</button>
        </form>
      ) : null}
    </header>
  );
  return (
    <Layout
      title={props.title}
      description={props.title}
      canonical={ctx.publicUrl + ctx.path}
      lang="en"
      siteName={ctx.siteName}
      surface="desk"
      header={header}
      head={props.head}
      skipLinkLabel={m.skipToContent}
    >
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
