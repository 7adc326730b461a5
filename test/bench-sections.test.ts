// A generated Markdown file written by two commands: each replaces only its
// own marked section (bench/sections.ts).
import { describe, expect, test } from 'vitest';
import { keepSection, sectionOf, withSection } from '../bench/sections.ts';

describe('marked sections of a generated file', () => {
  test('appended when absent, replaced in place when present, the rest kept byte for byte', () => {
    const doc = '# Benchmarks\n\nthe models\n';
    const once = withSection(doc, 'site', '## Site\n\n| a |\n');
    expect(once).toBe('# Benchmarks\n\nthe models\n\n<!-- site -->\n## Site\n\n| a |\n<!-- /site -->\n');
    const twice = withSection(`${once}\ntail\n`, 'site', '## Site\n\n| b |');
    expect(twice).toBe('# Benchmarks\n\nthe models\n\n<!-- site -->\n## Site\n\n| b |\n<!-- /site -->\n\ntail\n');
    expect(sectionOf(twice, 'site')).toBe('<!-- site -->\n## Site\n\n| b |\n<!-- /site -->');
  });

  test('a file without the section gives none; one whose section is not closed is refused', () => {
    expect(sectionOf('# Benchmarks\n', 'site')).toBe('');
    expect(() => sectionOf('<!-- site -->\n## Site\n', 'site')).toThrow('<!-- site --> has no <!-- /site --> after it');
  });

  test('the other command\'s rewrite keeps the section: bench\'s new text plus the old file\'s section', () => {
    const old = withSection('# Benchmarks\n\nold models\n', 'site', '## Site\n\n| painted |');
    const written = keepSection('# Benchmarks\n\nnew models\n', old, 'site');
    expect(written).toBe('# Benchmarks\n\nnew models\n\n<!-- site -->\n## Site\n\n| painted |\n<!-- /site -->\n');
    expect(keepSection('# Benchmarks\n\nnew models\n', '# Benchmarks\n', 'site')).toBe('# Benchmarks\n\nnew models\n');
  });
});
