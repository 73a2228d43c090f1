import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'test/**/*.test.ts'],
    // Sweeps in the end-to-end tests train real GANs on worker threads.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
