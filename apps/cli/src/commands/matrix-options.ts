import { Option } from 'commander';
import type { Protocol } from '../engine';

export const PROTOCOL_OPTION = () =>
  new Option('--protocol <protocol>', 'transport protocol')
    .choices(['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP'])
    .default('tcp');

/** `--port` as given on the command line: a destination pod port 1-65535, or null. */
export function parsePort(text: string): number | null {
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65535 ? port : null;
}

export function toProtocol(text: string): Protocol {
  return text.toUpperCase() as Protocol;
}
