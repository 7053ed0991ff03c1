import { SourceMapConsumer } from 'source-map';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows, latin1Only } from '../../worker/workflow-bundle';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The bundle's code without its inline source map. */
function codeOf(bundle: WorkflowBundleWithSourceMap): string {
  return bundle.code.slice(0, bundle.code.lastIndexOf('//# sourceMappingURL='));
}

describe('the workflow bundle every worker thread holds', () => {
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    bundle = await bundleWorkflows();
  }, 120_000);

  it('is Latin-1 only, so V8 stores it one byte per character', () => {
    const wide = [...bundle.code].filter((ch) => ch.charCodeAt(0) > 0xff);
    expect(wide).toEqual([]);
  });

  it("keeps only English of zod's locales", () => {
    const code = codeOf(bundle);
    const localeModules = new Set(
      [...code.matchAll(/"\.\/node_modules\/zod\/v4\/locales\/([^"]+)"/g)].map((m) => m[1]),
    );
    // The locale index (replaced by worker/bundle/zod-english-locale.mjs) and English: not fr.js, ja.js...
    expect([...localeModules].sort()).toEqual(['en.js', 'index.js']);
    expect(code).toContain("zod's locales as the workflow bundle sees them: English only");
    expect(code.length).toBeLessThan(2_500_000);
  });

  it('maps workflow code back to the source file and line, without carrying the sources', async () => {
    const map = JSON.parse(
      Buffer.from(bundle.code.slice(bundle.code.lastIndexOf('base64,') + 7), 'base64').toString('utf8'),
    ) as {
      sources: string[];
      sourcesContent?: unknown[];
    };
    expect(map.sourcesContent ?? []).toEqual([]);
    const code = codeOf(bundle);
    const line = code.slice(0, code.indexOf('async function caseWorkflow(')).split('\n').length;
    const consumer = await new SourceMapConsumer(map as never);
    const original = consumer.originalPositionFor({ line, column: 0 });
    consumer.destroy();
    expect(original.source).toMatch(/workflows[\\/]case[\\/]case-workflow\.ts$/);
    expect(original.line).toBeGreaterThan(0);
  });
});

describe('latin1Only', () => {
  it('escapes characters above U+00FF and leaves Latin-1 alone', () => {
    expect(latin1Only('const s = "§2.13–2.14 → ok"; // ≈')).toBe('const s = "§2.13\\u20132.14 \\u2192 ok"; // \\u2248');
  });

  it('keeps what a string literal and a pattern mean', () => {
    const source = 'module.exports = { text: "a – b ✖", pattern: /[≥≤]/ };';
    const escaped = latin1Only(source);
    const evaluate = (code: string) => {
      const module = { exports: {} as { text: string; pattern: RegExp } };
      new Function('module', code)(module);
      return module.exports;
    };
    expect(evaluate(escaped).text).toBe(evaluate(source).text);
    expect(evaluate(escaped).pattern.test('≥')).toBe(true);
  });
});
