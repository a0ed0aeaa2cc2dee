/**
 * Builds the Teams app package an admin uploads: manifest.json with the bot id and host filled in,
 * its localisation file and both icons, zipped flat (Teams wants the files at the zip's root).
 *   MicrosoftAppId=<guid> BOT_HOST=bot.example.se npm run package
 * Like main.ts, this entry point reads the environment itself and hands on typed values.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { z } from 'zod';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest');
/** The files of the package, all at the zip's root. */
export const PACKAGE_FILES = ['manifest.json', 'en.json', 'color.png', 'outline.png'] as const;

const guid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    "a GUID (the Azure Bot's Microsoft App ID)",
  );
// A host name only: the manifest builds https URLs and validDomains from it.
const host = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i,
    'a host name such as bot.example.se, without https:// or a path',
  );

export const packageEnvSchema = z
  .object({
    MicrosoftAppId: guid,
    BOT_HOST: host,
    /** The Teams app's own id; the bot's id unless said otherwise. */
    TEAMS_APP_ID: guid.optional(),
    APP_VERSION: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'major.minor.patch')
      .optional(),
    DEVELOPER_URL: z.url({ protocol: /^https$/ }).optional(),
    PRIVACY_URL: z.url({ protocol: /^https$/ }).optional(),
    TERMS_URL: z.url({ protocol: /^https$/ }).optional(),
    PACKAGE_OUT: z.string().optional(),
  })
  .transform((e) => ({
    BOT_ID: e.MicrosoftAppId,
    BOT_HOST: e.BOT_HOST.toLowerCase(),
    TEAMS_APP_ID: e.TEAMS_APP_ID ?? e.MicrosoftAppId,
    APP_VERSION: e.APP_VERSION,
    DEVELOPER_URL: e.DEVELOPER_URL ?? `https://${e.BOT_HOST}/`,
    PRIVACY_URL: e.PRIVACY_URL ?? `https://${e.BOT_HOST}/`,
    TERMS_URL: e.TERMS_URL ?? `https://${e.BOT_HOST}/`,
    out: e.PACKAGE_OUT ?? path.join(ROOT, 'dist', 'websesam-hjalpen.zip'),
  }));

export type PackageSettings = z.output<typeof packageEnvSchema>;

/** Replaces every `${{NAME}}`; a placeholder left without a value is an error, not an empty string. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest placeholder \${{${name}}} has no value`);
    return value;
  });
}

export async function filledManifest(settings: PackageSettings): Promise<Record<string, unknown>> {
  const version =
    settings.APP_VERSION ??
    (JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
  const template = await fs.readFile(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
  const { out: _out, ...values } = settings;
  return JSON.parse(
    fill(template, { ...values, APP_VERSION: version } as Record<string, string>),
  ) as Record<string, unknown>;
}

/** Writes the zip; returns where, and the manifest it holds. */
export async function buildPackage(
  settings: PackageSettings,
): Promise<{ file: string; manifest: Record<string, unknown> }> {
  const manifest = await filledManifest(settings);
  const zip = new JSZip();
  for (const name of PACKAGE_FILES) {
    const content =
      name === 'manifest.json'
        ? JSON.stringify(manifest, null, 2)
        : await fs.readFile(path.join(MANIFEST_DIR, name));
    // A fixed date: the same inputs give the same zip, byte for byte.
    zip.file(name, content, { date: new Date('2025-01-01T00:00:00Z') });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  await fs.mkdir(path.dirname(settings.out), { recursive: true });
  await fs.writeFile(settings.out, bytes);
  return { file: settings.out, manifest };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const parsed = packageEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`Cannot build the app package:\n${z.prettifyError(parsed.error)}\n`);
    process.exit(2);
  }
  const { file } = await buildPackage(parsed.data);
  process.stdout.write(
    `${path.relative(process.cwd(), file)}: upload it in Teams (Appar → Hantera dina appar → Ladda upp en app)\n`,
  );
}
