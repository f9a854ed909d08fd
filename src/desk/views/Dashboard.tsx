import { can } from '../../accounts/policy.js';
import type { Brief, BriefStatus } from '../../content/types.js';
import { formatShortDateTime } from '../../web/format.js';
import { deskBriefPath } from '../../web/paths.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';

const SECTIONS: { key: keyof typeof m.dashboardSections; statuses: readonly BriefStatus[] }[] = [
  { key: 'drafts', statuses: ['draft'] },
  { key: 'review', statuses: ['in_review'] },
  { key: 'published', statuses: ['published', 'corrected'] },
  { key: 'retracted', statuses: ['retracted'] },
];

/** A table of briefs: headline (linking to the editor), language, status, last change. */
export function BriefTable(props: { briefs: Brief[]; timeZone: string; captionId: string }) {
  if (props.briefs.length === 0) return <p>{m.noBriefs}</p>;
  return (
    <table aria-labelledby={props.captionId}>
      <thead>
        <tr><th scope="col">{m.headline}</th><th scope="col">{m.language}</th><th scope="col">{m.status}</th><th scope="col">{m.updated}</th></tr>
      </thead>
      <tbody>
        {props.briefs.map((brief) => (
          <tr>
            <td><a href={deskBriefPath(brief)} lang={brief.language}>{brief.headline}</a></td>
            <td>{m.languageName[brief.language]}</td>
            <td>{m.briefStatus[brief.status]}</td>
            <td>{formatShortDateTime(brief.updatedAt, { language: 'en', timeZone: props.timeZone })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The desk's start page: the worklist by status and links to everything else. */
export function Dashboard(props: { ctx: DeskContext; briefs: Brief[] }) {
  const user = props.ctx.user;
  return (
    <DeskPage ctx={props.ctx} title={m.dashboard} current="dashboard">
      <ul class="quick-links">
        {can(user, 'brief.write') ? <li><a href="/desk/briefs/new">{m.newBrief}</a></li> : null}
        {can(user, 'story.manage') ? <li><a href="/desk/stories">{m.stories}</a></li> : null}
        {can(user, 'entity.manage') ? <li><a href="/desk/entities">{m.entities}</a></li> : null}
        {can(user, 'user.manage') ? <li><a href="/desk/users">{m.users}</a></li> : null}
      </ul>
      {SECTIONS.map(({ key, statuses }) => (
        <section aria-labelledby={`section-${key}`}>
          <h2 id={`section-${key}`}>{m.dashboardSections[key]}</h2>
          <BriefTable briefs={props.briefs.filter((b) => statuses.includes(b.status))} timeZone={props.ctx.timeZone} captionId={`section-${key}`} />
        </section>
      ))}
    </DeskPage>
  );
}
