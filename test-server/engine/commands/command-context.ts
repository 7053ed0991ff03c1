/** What every command handler is given besides the run and the command's attributes. */

/** The completion a command belongs to. */
export interface CommandContext {
  /** Id of the WorkflowTaskCompleted event of the completion. */
  completedId: number;
  /** Identity of the completing worker. */
  identity: string;
  /** Work that must follow the whole completion (starting children, signalling or cancelling other workflows). */
  afterCommit: (() => void)[];
}
