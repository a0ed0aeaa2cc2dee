import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import {
  buildPackage,
  fill,
  MANIFEST_DIR,
  PACKAGE_FILES,
  packageEnvSchema,
} from '../../scripts/package.js';
import { tempDir } from '../support/bot.js';

// The schemas bundled with @microsoft/app-manifest, passed in so that nothing is downloaded.
const require = createRequire(import.meta.url);
const schemaDir = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest')),
  'json-schemas',
  'teams',
  'v1.30',
);
const schema = async (name: string) =>
  JSON.parse(await fs.readFile(path.join(schemaDir, name), 'utf8'));

const BOT_ID = '0b5f2a6e-3c1d-4e8f-9a7b-1c2d3e4f5a6b';
const env = (extra: Record<string, string> = {}) => ({
  MicrosoftAppId: BOT_ID,
  BOT_HOST: 'websesam-hjalpen.example.se',
  ...extra,
});

describe('the Teams app package', () => {
  let file: string;
  let manifest: Record<string, any>;

  before(async () => {
    const dir = await tempDir('wsh-package-');
    ({ file, manifest } = await buildPackage(
      packageEnvSchema.parse(env({ PACKAGE_OUT: path.join(dir, 'app.zip') })),
    ));
  });

  it('fills a manifest that the official v1.30 schema accepts, offline', async () => {
    assert.equal(manifest.manifestVersion, '1.30');
    assert.deepEqual(
      await AppManifestUtils.validateAgainstSchema(
        manifest as never,
        await schema('MicrosoftTeams.schema.json'),
      ),
      [],
    );
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    // And the check can fail: a scope Teams does not know is caught.
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] };
    assert.notDeepEqual(
      await AppManifestUtils.validateAgainstSchema(
        broken as never,
        await schema('MicrosoftTeams.schema.json'),
      ),
      [],
    );
  });

  it('is the bot in personal, team and group chat, with Swedish commands, the staff ones in team scope', () => {
    const [bot] = manifest.bots;
    assert.equal(bot.botId, BOT_ID);
    assert.deepEqual(bot.scopes, ['personal', 'team', 'groupChat']);
    const titles = (scope: string) =>
      bot.commandLists.find((l: any) => l.scopes.includes(scope)).commands.map((c: any) => c.title);
    assert.deepEqual(titles('personal'), ['hjälp', 'mina ärenden']);
    assert.deepEqual(titles('team'), [
      'hjälp',
      'registrera som supportkanal',
      'registrera driftkanal',
      'driftmeddelande',
      'samtal',
    ]);
    assert.deepEqual(titles('groupChat'), ['hjälp']);
  });

  it('has the statistics tab on the bot host, the host as valid domain, and SSO for the bot app', () => {
    const tab = manifest.staticTabs.find((t: any) => t.entityId === 'statistik');
    assert.equal(tab.contentUrl, 'https://websesam-hjalpen.example.se/tab');
    assert.deepEqual(manifest.validDomains, ['websesam-hjalpen.example.se']);
    assert.deepEqual(manifest.webApplicationInfo, {
      id: BOT_ID,
      resource: `api://websesam-hjalpen.example.se/${BOT_ID}`,
    });
  });

  it('is Swedish by default with an English localisation file the schema accepts, naming only real manifest strings', async () => {
    assert.equal(manifest.localizationInfo.defaultLanguageTag, 'sv-se');
    assert.match(manifest.description.short, /webSesam/);
    const en = JSON.parse(await fs.readFile(path.join(MANIFEST_DIR, 'en.json'), 'utf8'));
    // The bundled localisation schema has two patterns with an unescaped "]" (activityTypes[…\b]),
    // which ajv's unicode mode rejects; escaped, they mean what their authors meant.
    const localization = await schema('MicrosoftTeams.Localization.schema.json');
    localization.patternProperties = Object.fromEntries(
      Object.entries(localization.patternProperties).map(([k, v]) => [
        k.replace(/\\b\]/g, '\\b\\]'),
        v,
      ]),
    );
    assert.deepEqual(await AppManifestUtils.validateAgainstSchema(en, localization), []);
    for (const key of Object.keys(en).filter((k) => k.includes('['))) {
      const value = key
        .split(/[.[\]]/)
        .filter(Boolean)
        .reduce((node: any, part) => node?.[part], manifest);
      assert.equal(typeof value, 'string', `${key} names a string in manifest.json`);
    }
  });

  it("zips exactly the manifest, its localisation and the two icons at the root, icons at Teams' sizes", async () => {
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    assert.deepEqual(Object.keys(zip.files).sort(), [...PACKAGE_FILES].sort());
    assert.deepEqual(JSON.parse(await zip.file('manifest.json')!.async('string')), manifest);
    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    // Outline: white or transparent only, and really transparent somewhere.
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else assert.ok(r === 255 && g === 255 && b === 255, `outline pixel ${i / 4} is white`);
    }
    assert.ok(transparent > 32 * 32 * 0.4, 'mostly transparent');
  });

  it('refuses to build without a GUID bot id or with a URL where a host belongs, naming the key', () => {
    const bad = packageEnvSchema.safeParse(
      env({ MicrosoftAppId: 'my-bot', BOT_HOST: 'https://x.example.se/' }),
    );
    assert.equal(bad.success, false);
    const keys = bad.error!.issues.map((i) => i.path[0]);
    assert.deepEqual(keys.sort(), ['BOT_HOST', 'MicrosoftAppId']);
    assert.throws(() => fill('${{NOPE}}', {}), /NOPE/);
  });
});
