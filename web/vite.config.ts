import { defineConfig } from 'vitest/config';

// Preact via esbuild's automatic JSX runtime (no @preact/preset-vite).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, assetsInlineLimit: 0 },
  server: {
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
