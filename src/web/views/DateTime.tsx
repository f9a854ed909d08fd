import type { DatelinePrecision, Language } from '../../content/types.js';
import { formatDateTime, formatShortDateTime, machineDateTime } from '../format.js';

export interface DateTimeProps {
  iso: string;
  language: Language;
  timeZone: string;
  precision?: DatelinePrecision;
  /** Compact form for lists. */
  isShort?: boolean;
}

/** A <time> element: the site-zone time for people, the ISO value for machines. */
export function DateTime(props: DateTimeProps) {
  const shown = props.isShort
    ? formatShortDateTime(props.iso, props)
    : formatDateTime(props.iso, props);
  return <time dateTime={machineDateTime(props.iso, props)}>{shown}</time>;
}
