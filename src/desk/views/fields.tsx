import type { ComponentChildren } from 'preact';
import { AppError, type FieldError } from '../../common/errors.js';
import { deskMessages as m } from '../messages.js';

/** One message in the error summary; `href` points at the input it is about, when there is one. */
export interface SummaryEntry {
  href: string | null;
  text: string;
}

/** A failed submission's errors, ready to show: a summary list and messages keyed by input id. */
export interface FormErrors {
  summary: SummaryEntry[];
  byId: Map<string, string>;
}

export const NO_ERRORS: FormErrors = { summary: [], byId: new Map() };

/** Where a field path is shown: the input's id and the words that name it ("Source 1 name"). */
export type PathDescriber = (path: string) => { id: string; label: string } | null;

/**
 * Turns an AppError (or parse errors) into what a form shows. Paths the form has no input for
 * (revision, status) fall back to the error's own message, shown once at the top.
 */
export function formErrorsFrom(opts: { fields: FieldError[]; message: string; describe: PathDescriber }): FormErrors {
  const summary: SummaryEntry[] = [];
  const byId = new Map<string, string>();
  let isMessageShown = false;
  for (const field of opts.fields) {
    const where = opts.describe(field.path);
    if (!where) {
      if (!isMessageShown) summary.push({ href: null, text: opts.message });
      isMessageShown = true;
      continue;
    }
    const text = `${where.label} ${field.reason}`;
    summary.push({ href: `#${where.id}`, text });
    byId.set(where.id, byId.has(where.id) ? `${byId.get(where.id)}; ${text}` : text);
  }
  if (summary.length === 0) summary.push({ href: null, text: opts.message });
  return { summary, byId };
}

/** Errors from a caught AppError. */
export function formErrorsFromAppError(err: AppError, describe: PathDescriber): FormErrors {
  return formErrorsFrom({ fields: err.fields, message: err.message, describe });
}

/** GOV.UK-style summary at the top of a form; each entry links to its input. */
export function ErrorSummary({ errors }: { errors: FormErrors }) {
  if (errors.summary.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{m.errorSummaryTitle}</h2>
      <ul>
        {errors.summary.map((entry) => (
          <li>{entry.href ? <a href={entry.href}>{entry.text}</a> : entry.text}</li>
        ))}
      </ul>
    </div>
  );
}

/** The hidden CSRF token every POST form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function FieldError({ id, errors }: { id: string; errors: FormErrors }) {
  const text = errors.byId.get(id);
  if (!text) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span class="visually-hidden">{m.errorPrefix} </span>
      {text}
    </p>
  );
}

/** The aria attributes that tie an input to its hint and error message. */
function describedBy(id: string, errors: FormErrors, hint?: ComponentChildren): { 'aria-describedby'?: string; 'aria-invalid'?: 'true' } {
  const ids = [hint ? `${id}-hint` : null, errors.byId.has(id) ? `${id}-error` : null].filter(Boolean);
  return {
    ...(ids.length ? { 'aria-describedby': ids.join(' ') } : {}),
    ...(errors.byId.has(id) ? { 'aria-invalid': 'true' as const } : {}),
  };
}

interface FieldProps {
  id: string;
  name: string;
  label: string;
  errors: FormErrors;
  hint?: ComponentChildren;
  isRequired?: boolean;
}

function FieldShell(props: FieldProps & { children: ComponentChildren }) {
  const hasError = props.errors.byId.has(props.id);
  return (
    <div class={hasError ? 'field field-has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
      <FieldError id={props.id} errors={props.errors} />
      {props.children}
    </div>
  );
}

/** A labelled <input> with its hint and error beside it. */
export function TextField(props: FieldProps & { value: string; type?: string; autocomplete?: string; inputMode?: string }) {
  return (
    <FieldShell {...props}>
      <input
        id={props.id} name={props.name} type={props.type ?? 'text'} value={props.value} required={props.isRequired}
        autocomplete={props.autocomplete} {...describedBy(props.id, props.errors, props.hint)}
      />
    </FieldShell>
  );
}

/** A labelled <textarea>. */
export function TextAreaField(props: FieldProps & { value: string; rows?: number }) {
  return (
    <FieldShell {...props}>
      <textarea id={props.id} name={props.name} rows={props.rows ?? 4} required={props.isRequired} {...describedBy(props.id, props.errors, props.hint)}>
        {props.value}
      </textarea>
    </FieldShell>
  );
}

/** A labelled <select>; `options` are [value, label] pairs. */
export function SelectField(props: FieldProps & { value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <FieldShell {...props}>
      <select id={props.id} name={props.name} required={props.isRequired} {...describedBy(props.id, props.errors, props.hint)}>
        {props.options.map(([value, label]) => <option value={value} selected={value === props.value}>{label}</option>)}
      </select>
    </FieldShell>
  );
}

/** Pairs for a select from a message table: `options(m.sourceKind)`. */
export function optionsOf(labels: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(labels);
}
