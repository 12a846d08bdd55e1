import { defineConfig } from 'ts-migrator';

export default defineConfig({
  database: 'sqlite:./example.db',
  models: ['schema.prisma'],
  versions: 'versions',
});
