import type { Protocol } from '../model/resources';
import type { Bitset } from './bitset';
import type { MatrixPeer } from './peer-universe';

export type { MatrixPeer } from './peer-universe';

export interface MatrixOptions {
  port: number;
  protocol: Protocol;
  /** Only pods of this namespace (and the external pieces) as rows and columns; policies elsewhere still apply. */
  namespace?: string;
  /** Add the pieces of the address space that the policies' CIDRs cut out, as `[External]` peers. */
  includeExternal?: boolean;
}

/**
 * Who can open a connection to whom on one (protocol, port): `rows[src]` is a bitset over `peers`
 * (the same list for rows and columns). A pod always reaches itself; external → external cells
 * are not modelled and stay clear.
 */
export interface Matrix {
  protocol: Protocol;
  port: number;
  namespace?: string;
  peers: MatrixPeer[];
  rows: Bitset[];
  /** Where the matrix simplifies or assumes. */
  notes: string[];
}
