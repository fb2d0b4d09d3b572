import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's Angular component is a file of the example app, so the app's build
// (strict templates) type-checks it; this test keeps the two the same.
describe("the README's Angular example", () => {
  it('is, verbatim, a component the example app compiles', () => {
    const readme = readFileSync('README.md', 'utf8');
    const snippet = /## Angular\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync('examples/angular/src/app/readme-chat.component.ts', 'utf8');
    expect(snippet).toBeDefined();
    expect(file.slice(file.indexOf('\n') + 1)).toBe(snippet);
    expect(readFileSync('examples/angular/tsconfig.json', 'utf8')).toContain('src/app/readme-chat.component.ts');
  });
});
