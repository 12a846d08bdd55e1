/** migrator's public API: the config helper, the types revision files use, and the commands. */
export { defineConfig, type Duration, type LoadConfigOptions, type MigratorConfig, type ModelEntry, type ResolvedConfig } from './config/config.js';
export { Operations, type AlterColumnOptions, type BatchOperations, type ConstraintOptions, type ExecuteOptions, type IndexDefinition, type TableDefinition } from './operations/api.js';
export type { ColumnChanges, Constraint, ConstraintRef, ConstraintType, Operation } from './operations/operation.js';
export type { CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, PrimaryKey, Schema, Table, UniqueConstraint } from './schema/schema.js';
export { Project } from './project.js';
export { MigratorError } from './errors.js';
export * as commands from './commands/index.js';
// What the commands take and return.
export type { LockingOptions, MoveOptions, MoveResult, OfflineOptions } from './commands/migrate.js';
export type { StepResult } from './runner/runner.js';
export type { AutogenerateOptions, CheckResult, GenerateResult, NewRevisionOptions, RevisionOptions } from './commands/generate.js';
export type { RenameAnswers } from './commands/renames.js';
export type { DataLossOptions } from './commands/data-loss-review.js';
export type { BranchInfo, MigrationStatus, RevisionInfo } from './commands/inspect.js';
export type { Drift, Repaired, Status } from './commands/history.js';
export type { HistoryRow } from './runner/history.js';
export type { LintCommandOptions, LintResult } from './commands/lint.js';
export type { SquashOptions, SquashResult } from './commands/squash.js';
export type { RevisionVerdict, VerifyDirection, VerifyOptions, VerifyProblem, VerifyResult } from './commands/verify.js';
