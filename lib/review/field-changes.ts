import { FieldChange, showValue } from '../gitops/manifest-diff';
import { REVIEW_DEFAULTS as D } from './defaults';

/** `spec.replicas 2 -> 3`, `metadata.labels["tier"] (absent) -> "web"`: one changed field as a reviewer reads it. */
export function fieldChangeText(f: FieldChange): string {
  return `${f.path} ${showValue(f.old)} -> ${showValue(f.new)}`;
}

/** The first changed fields of an object as text, and how many more there are. */
export function fieldChangeTexts(changes: readonly FieldChange[], max: number = D.fieldsShown): { readonly shown: readonly string[]; readonly more: number } {
  return { shown: changes.slice(0, max).map(fieldChangeText), more: Math.max(changes.length - max, 0) };
}
