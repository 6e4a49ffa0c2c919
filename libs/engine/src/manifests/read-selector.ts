import type { LabelSelector, LabelSelectorRequirement } from '../model/resources';
import { labelKeyProblem, labelValueProblem } from '../util/labels';
import { fieldSet, FieldReader, joinPath, type JsonObject } from './field-reader';
import { readLabels } from './read-metadata';

const SELECTOR_FIELDS = fieldSet('matchLabels', 'matchExpressions');
const REQUIREMENT_FIELDS = fieldSet('key', 'operator', 'values');
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * A metav1.LabelSelector with the checks of apimachinery ValidateLabelSelector: In/NotIn need
 * values, Exists/DoesNotExist must have none. Returns undefined when the field is absent.
 */
export function readLabelSelector(
  r: FieldReader,
  obj: JsonObject,
  key: string,
  path: string,
): LabelSelector | undefined {
  const raw = r.object(obj, key, path);
  if (!raw) return undefined;
  const here = joinPath(path, key);
  r.unknownFields(raw, here, SELECTOR_FIELDS);
  const matchLabels = readLabels(r, raw, 'matchLabels', here);
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const [req, reqPath] of r.objects(raw, 'matchExpressions', here)) {
    r.unknownFields(req, reqPath, REQUIREMENT_FIELDS);
    const reqKey = r.string(req, 'key', reqPath);
    const operator = r.oneOf(req, 'operator', reqPath, OPERATORS);
    const values = r.strings(req, 'values', reqPath);
    if (reqKey === undefined)
      r.error('INVALID_SELECTOR', joinPath(reqPath, 'key'), 'Required value');
    else {
      const problem = labelKeyProblem(reqKey);
      if (problem) r.error('INVALID_SELECTOR', joinPath(reqPath, 'key'), problem);
    }
    if (req.operator === undefined)
      r.error('INVALID_SELECTOR', joinPath(reqPath, 'operator'), 'Required value');
    values.forEach((v, i) => {
      const problem = labelValueProblem(v);
      if (problem) r.error('INVALID_SELECTOR', joinPath(joinPath(reqPath, 'values'), i), problem);
    });
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0)
      r.error(
        'INVALID_SELECTOR',
        joinPath(reqPath, 'values'),
        "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      );
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
      r.error(
        'INVALID_SELECTOR',
        joinPath(reqPath, 'values'),
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      );
    if (reqKey !== undefined && operator !== undefined)
      matchExpressions.push({ key: reqKey, operator, values });
  }
  return { matchLabels, matchExpressions };
}
