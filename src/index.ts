/** migrator's public API: the config helper, the types revision files use, and the commands. */
export { defineConfig, type MigratorConfig } from './config/config.js';
export { Operations, type AlterColumnOptions, type BatchOperations, type ConstraintOptions, type ExecuteOptions, type IndexDefinition, type TableDefinition } from './operations/api.js';
export type { ColumnChanges, Constraint, ConstraintRef, ConstraintType, Operation } from './operations/operation.js';
export type { CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, PrimaryKey, Schema, Table, UniqueConstraint } from './schema/schema.js';
export { Project } from './project.js';
export { MigratorError } from './errors.js';
export * as commands from './commands/index.js';
