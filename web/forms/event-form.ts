/**
 * A form per event type, derived from the event schemas (their JSON Schema): dates as GOV.UK date inputs, one
 * choice as radios, several as checkboxes, the §2.6 questions as a checklist of yes / no / not known. What the
 * form posts is turned back into an event and validated by the same schema as every other way in.
 */
import { z } from 'zod';
import { CaseEventSchema, type CaseEventType } from '../../domain/case';

/** One choice of a radios or checkboxes field. */
export interface Choice {
  readonly value: string;
  readonly text: string;
}

/** One field of an event form. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly kind: 'date' | 'radios' | 'checkboxes' | 'number' | 'text' | 'questions';
  readonly required: boolean;
  readonly choices?: readonly Choice[];
  /** For `questions`: each question, answered with `choices`. */
  readonly questions?: readonly Choice[];
}

/** Labels of fields whose name alone says too little. */
const LABELS: Readonly<Record<string, string>> = {
  occurredOn: 'Date it happened',
  section47: 'Section 47 enquiry',
  questions: 'Strategy discussion questions (§2.6)',
  riskFactors: 'Risk factors present (§2.7)',
  stepId: 'Step',
  newDueDate: 'New due date',
  agreedBy: 'Agreed by (staff id)',
  authorisedBy: 'Authorised by',
  decidedBy: 'Decided by (staff id)',
  practitionerId: 'New practitioner (staff id)',
  teamId: 'Team id',
  bailUntil: 'Bail until',
  conferenceOn: 'Conference date',
  reviewBy: 'Review by',
  startedOn: 'Date the assessment started',
};

/** "child-at-immediate-risk" → "Child at immediate risk"; "leavingHomeDecision" → "Leaving home decision". */
export function sentenceOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface JsonProperty {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly items?: JsonProperty;
  readonly propertyNames?: JsonProperty;
  readonly additionalProperties?: JsonProperty | boolean;
}

const choicesOf = (values: readonly string[]): Choice[] => values.map((value) => ({ value, text: sentenceOf(value) }));

/** The fields of the form for `type` (the type itself and who records it are never asked). */
export function eventFormFields(type: CaseEventType): FormField[] {
  const schema = CaseEventSchema.options.find((o) => o.shape.type.value === type);
  if (schema === undefined) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonProperty>;
    required?: string[];
  };
  const fields: FormField[] = [];
  for (const [name, property] of Object.entries(json.properties)) {
    if (name === 'type' || name === 'recordedBy') continue;
    const base = { name, label: LABELS[name] ?? sentenceOf(name), required: json.required?.includes(name) ?? false };
    if (property.format === 'date') fields.push({ ...base, kind: 'date' });
    else if (property.enum !== undefined) fields.push({ ...base, kind: 'radios', choices: choicesOf(property.enum) });
    else if (property.type === 'array' && property.items?.enum !== undefined) {
      fields.push({ ...base, kind: 'checkboxes', choices: choicesOf(property.items.enum) });
    } else if (
      property.type === 'object' &&
      property.propertyNames?.enum !== undefined &&
      typeof property.additionalProperties === 'object' &&
      property.additionalProperties.enum !== undefined
    ) {
      fields.push({
        ...base,
        kind: 'questions',
        questions: choicesOf(property.propertyNames.enum),
        choices: choicesOf(property.additionalProperties.enum),
      });
    } else if (property.type === 'integer' || property.type === 'number') fields.push({ ...base, kind: 'number' });
    else fields.push({ ...base, kind: 'text' });
  }
  return fields;
}

/** What a form posted (urlencoded: repeated names are lists). */
export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;

/** The first value posted under a name, trimmed ('' when none). */
export const single = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
/** Every value posted under a name. */
export const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A posted GOV.UK date input (`name-day`, `-month`, `-year`) as `YYYY-MM-DD`; undefined when left empty. */
export function postedDate(posted: PostedForm, name: string): string | undefined {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => single(posted[`${name}-${p}`]));
  if (day === '' && month === '' && year === '') return undefined;
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** Turns a posted form back into the event it describes (validated afterwards by the event schema). */
export function eventFromForm(type: CaseEventType, posted: PostedForm, recordedBy: string): Record<string, unknown> {
  const event: Record<string, unknown> = { type, recordedBy };
  for (const field of eventFormFields(type)) {
    switch (field.kind) {
      case 'date': {
        const date = postedDate(posted, field.name);
        if (date !== undefined) event[field.name] = date;
        break;
      }
      case 'checkboxes':
        event[field.name] = list(posted[field.name]).filter((v) => v !== '');
        break;
      case 'questions': {
        const answers: Record<string, string> = {};
        for (const q of field.questions ?? []) {
          const answer = single(posted[`${field.name}.${q.value}`]);
          if (answer !== '') answers[q.value] = answer;
        }
        event[field.name] = answers;
        break;
      }
      case 'number': {
        const value = single(posted[field.name]);
        if (value !== '') event[field.name] = /^\d+$/.test(value) ? Number(value) : value;
        break;
      }
      default: {
        const value = single(posted[field.name]);
        if (value !== '') event[field.name] = value;
      }
    }
  }
  return event;
}
