import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from './migrations';
import { entities } from './src/modules/entities';
import { SqlCountingLogger } from './src/core/sql-count';

/**
 * The one DataSource: used by the app, the TypeORM CLI and the tests. The URL comes from
 * DATABASE_URL; the app and the tests set it with `setOptions` after starting an embedded
 * PostgreSQL when there is none. Never `synchronize`: the schema is the migrations.
 */
export const dataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities,
  migrations,
  migrationsTableName: 'typeorm_migrations',
  synchronize: false,
  migrationsRun: false,
  logging: ['query', 'error'],
  logger: new SqlCountingLogger(),
  extra: { max: Number(process.env.PG_POOL_SIZE ?? 10) },
});
