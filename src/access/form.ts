import fs from 'node:fs/promises';
import { z } from 'zod';

/**
 * The application form's fields and choices, as configuration (`config/access-form.json`): the
 * real form lives on HMC's page, so the card asks for no more than the routine names, and a region
 * can change the labels, hints, lengths and choices without touching code.
 */

const choice = z.object({ title: z.string().min(1).max(100), value: z.string().min(1).max(100) });

const textField = z
  .object({
    label: z.string().min(1).max(200),
    placeholder: z.string().max(200).optional(),
    maxLength: z.number().int().min(1).max(2000).default(200),
    /** Offered as a list instead of free text (e.g. the region and its municipalities). */
    choices: z.array(choice).min(1).max(400).optional(),
    required: z.boolean().default(true),
  })
  .strict();

export const accessFormSchema = z
  .object({
    heading: z.string().min(1).max(200),
    intro: z.string().max(1000).default(''),
    kinds: z.object({
      ny: z.string().min(1),
      andring: z.string().min(1),
      avslut: z.string().min(1),
    }),
    fields: z
      .object({
        subjectName: textField,
        subjectContact: textField,
        unit: textField,
        organisation: textField,
        role: textField,
        fromDate: z.object({ label: z.string().min(1).max(200) }).strict(),
        manager: z
          .object({
            label: z.string().min(1).max(200),
            emailLabel: z.string().min(1).max(200),
            placeholder: z.string().max(200).default(''),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

export type AccessForm = z.output<typeof accessFormSchema>;
export type TextFieldName = 'subjectName' | 'subjectContact' | 'unit' | 'organisation' | 'role';
export const TEXT_FIELDS: TextFieldName[] = [
  'subjectName',
  'subjectContact',
  'unit',
  'organisation',
  'role',
];

/** Reads and checks the form file; a broken file stops the start with the file and key named. */
export async function loadAccessForm(file: string): Promise<AccessForm> {
  const parsed = accessFormSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`Ogiltigt behörighetsformulär ${file}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
