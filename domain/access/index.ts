/** Roles and scope: who may see and do what on a case. Pure. */
export * from './access-rules';
