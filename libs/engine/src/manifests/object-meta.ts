import { locationFields } from '../model/issues';
import type { ObjectMeta } from '../model/resources';
import type { IssueContext } from './field-reader';
import type { ReadMeta } from './read-metadata';

/** ObjectMeta of an object read from input; the API server assigns `createdSeq` on create. */
export function manifestMeta(meta: ReadMeta, context: IssueContext): ObjectMeta {
  return {
    namespace: meta.namespace,
    name: meta.name,
    labels: meta.labels,
    annotations: meta.annotations,
    createdSeq: 0,
    origin: { kind: 'manifest', ...locationFields(context) },
  };
}
