import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';

type TitledStatus = keyof typeof m.errors.title;

/** An error as an HTML page, so a browser without JavaScript shows more than raw JSON. */
export function DeskErrorPage(props: { ctx: DeskContext; status: number; message: string }) {
  const key = (props.status in m.errors.title ? props.status : 'other') as TitledStatus;
  return (
    <DeskPage ctx={props.ctx} title={m.errors.title[key]}>
      <p>{props.message}</p>
      <p>
        {props.ctx.user
          ? <a href="/desk">{m.errors.backToDashboard}</a>
          : <a href="/desk/login">{m.errors.logIn}</a>}
      </p>
    </DeskPage>
  );
}
