import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery } from '../../distribution/webhooks.js';
import { formatShortDateTime } from '../../web/format.js';
import { fieldId } from '../forms.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, TextField, type FormErrors, type PathDescriber } from './fields.js';

const mw = m.webhooksPage;

const LABELS: Record<string, string> = { url: mw.url, events: mw.events };
export const describeWebhookPath: PathDescriber = (path) => (LABELS[path] ? { id: fieldId(path), label: LABELS[path] } : null);

export interface WebhookFormValues {
  url: string;
  events: string[];
}

function EventChoices({ values, errors }: { values: WebhookFormValues; errors: FormErrors }) {
  const id = fieldId('events');
  const error = errors.byId.get(id);
  return (
    <fieldset class="group" id={id}>
      <legend>{mw.events}</legend>
      {error ? <p class="field-error" id={`${id}-error`}><span class="visually-hidden">{m.errorPrefix} </span>{error}</p> : null}
      <ul class="checkboxes">
        {WEBHOOK_EVENTS.map((event, i) => (
          <li>
            <input type="checkbox" id={`f-event-${i}`} name="events" value={event} checked={values.events.includes(event)} />
            <label for={`f-event-${i}`}>{mw.eventNames[event]} (<code>{event}</code>)</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function WebhookTable({ ctx, webhooks }: { ctx: DeskContext; webhooks: Webhook[] }) {
  if (webhooks.length === 0) return <p>{mw.none}</p>;
  return (
    <table aria-label={mw.title}>
      <thead><tr><th scope="col">{mw.url}</th><th scope="col">{mw.events}</th><th scope="col">{mw.state}</th><th scope="col"><span class="visually-hidden">{mw.remove}</span></th></tr></thead>
      <tbody>
        {webhooks.map((hook) => (
          <tr>
            <td><code>{hook.url}</code></td>
            <td>{hook.events.map((e) => mw.eventNames[e]).join(', ')}</td>
            <td>
              {hook.isActive ? mw.active : mw.paused}{' '}
              <form method="post" action={`/desk/webhooks/${hook.id}/active`} class="inline-form">
                <CsrfField token={ctx.csrfToken} />
                <input type="hidden" name="isActive" value={hook.isActive ? '0' : '1'} />
                <button type="submit">{hook.isActive ? mw.pause : mw.resume}</button>
              </form>
            </td>
            <td>
              <form method="post" action={`/desk/webhooks/${hook.id}/delete`} class="inline-form">
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" aria-label={mw.removeLabel(hook.url)}>{mw.remove}</button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeliveryLog({ ctx, deliveries }: { ctx: DeskContext; deliveries: WebhookDelivery[] }) {
  const when = (iso: string | null) => (iso ? formatShortDateTime(iso, { language: 'en', timeZone: ctx.timeZone }) : '—');
  return (
    <section aria-labelledby="deliveries">
      <h2 id="deliveries">{mw.deliveries}</h2>
      {deliveries.length === 0 ? <p>{mw.noDeliveries}</p> : (
        <table aria-labelledby="deliveries">
          <thead>
            <tr>
              <th scope="col">{mw.created_at}</th><th scope="col">{mw.event}</th><th scope="col">{mw.endpoint}</th><th scope="col">{mw.status}</th>
              <th scope="col">{mw.response}</th><th scope="col">{mw.attempts}</th><th scope="col">{mw.nextAttempt}</th><th scope="col"><span class="visually-hidden">{mw.resend}</span></th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr>
                <td>{when(d.createdAt)}</td>
                <td><code>{d.eventType}</code></td>
                <td><code>{d.webhookUrl}</code></td>
                <td>{mw.deliveryStatus[d.status]}</td>
                <td>{d.lastStatusCode ?? (d.lastError ? `${mw.noResponse}: ${d.lastError}` : '—')}</td>
                <td>{d.attempts}</td>
                <td>{d.status === 'pending' ? when(d.nextAttemptAt) : '—'}</td>
                <td>
                  <form method="post" action={`/desk/webhooks/deliveries/${d.id}/resend`} class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" aria-label={mw.resendLabel(d.id)}>{mw.resend}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The endpoints, the form to add one (with its secret once, right after), and the delivery log. */
export function WebhooksPage(props: {
  ctx: DeskContext; webhooks: Webhook[]; deliveries: WebhookDelivery[]; values: WebhookFormValues; errors: FormErrors;
  created?: { url: string; secret: string } | null;
}) {
  const { ctx, values, errors } = props;
  return (
    <DeskPage ctx={ctx} title={mw.title} current="webhooks">
      {props.created ? (
        <div class="notice" role="status">
          <p>{mw.created(props.created.url)}</p>
          <p>{mw.secretOnce} <code class="secret">{props.created.secret}</code></p>
        </div>
      ) : null}
      <p>{mw.intro}</p>
      <WebhookTable ctx={ctx} webhooks={props.webhooks} />
      <section aria-labelledby="new-webhook">
        <h2 id="new-webhook">{mw.newWebhook}</h2>
        <ErrorSummary errors={errors} />
        <form method="post" action="/desk/webhooks" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <TextField id={fieldId('url')} name="url" label={mw.url} value={values.url} autocomplete="off" errors={errors} />
          <EventChoices values={values} errors={errors} />
          <div class="actions"><button type="submit" class="primary">{mw.create}</button></div>
        </form>
      </section>
      <DeliveryLog ctx={ctx} deliveries={props.deliveries} />
    </DeskPage>
  );
}
