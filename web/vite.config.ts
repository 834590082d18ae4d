import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { searchForWorkspaceRoot, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Writes dist/sw.js from sw/sw.js with the list of built files (the app shell) to precache. */
function serviceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'pharmacrm-sw',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    writeBundle(_opts, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map') && f !== 'sw.js')
        .sort();
      const urls = ['/index.html', ...files.filter((f) => f !== 'index.html').map((f) => '/' + f)];
      const version = createHash('sha256')
        .update(urls.join('\n'))
        .update(readFileSync(path.join(outDir, 'index.html')))
        .digest('hex')
        .slice(0, 16);
      const src = readFileSync(path.resolve(__dirname, 'sw/sw.js'), 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('__PRECACHE__', JSON.stringify(urls, null, 2));
      writeFileSync(path.join(outDir, 'sw.js'), src);
    },
  };
}

// Preact via esbuild's automatic JSX runtime (no @preact/preset-vite).
export default defineConfig({
  plugins: [serviceWorker()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, assetsInlineLimit: 0 },
  server: {
    // The nickname table is shared with the server: crates/domain/data/nicknames.txt (a `?raw` import).
    fs: {
      allow: [
        searchForWorkspaceRoot(process.cwd()),
        path.resolve(__dirname, '../crates/domain/data'),
      ],
    },
    // `npm run dev` proxies the API to a locally running server.
    proxy: {
      '/api': process.env.PHARMACRM_URL ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.PHARMACRM_URL ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
  },
});
