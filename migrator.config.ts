import { defineConfig } from 'ts-migrator';

export default defineConfig({
  database: 'sqlite:./example.db',
  models: ['example/entities/*.ts'],
  versions: 'versions',
  templates: 'templates',
});
