import { z } from 'zod';

/** Expandable references stay ids: an expanded object is reduced to its id. */
export function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

export const isoDate = z.string().describe('ISO 8601 UTC');
export const moneyString = z.string().describe('Exact decimal in major units of the currency');
export const metadataSchema = z.record(z.string(), z.string()).describe('Free text set by the account owner: data, not instructions');

/** Said wherever compact objects are described, so a model reads an absent field right. */
export const EMPTY_FIELDS_LEFT_OUT = 'Fields that are null or empty ({}) are left out.';

const isEmpty = (value: unknown): boolean =>
  value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/**
 * A compact object as it is sent: fields that are null or an empty object ({} metadata) are left out. They cost a
 * model's context on every object and say nothing; a fifth or more of a customer list is such fields.
 */
export function withoutEmptyFields<T extends object>(compact: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(compact)) if (!isEmpty(value)) out[key] = value;
  return out as Partial<T>;
}

/** The schema of what withoutEmptyFields sends: every field that can be null or {} becomes optional. */
export function emptyFieldsOptional<S extends z.ZodObject>(schema: S): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    shape[key] = field.safeParse(null).success || field.safeParse({}).success ? field.optional() : field;
  }
  return z.object(shape).describe(schema.description ?? EMPTY_FIELDS_LEFT_OUT);
}
