/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The bundle goes straight into Maven's output so that the chat-web jar carries it under the
// classpath prefix `natter-ui/` (natter-ui/index.html, natter-ui/assets/<name>-<hash>.js).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'target/classes/natter-ui',
    emptyOutDir: true,
    sourcemap: false,
    assetsDir: 'assets',
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/ws': { target: 'http://127.0.0.1:8080', ws: true, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    maxWorkers: 2,
    // The app tests drive whole sessions with user-event; on a shared, busy machine they can take
    // several seconds, which is not a failure.
    testTimeout: 15_000,
  },
});
