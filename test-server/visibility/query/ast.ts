/** Syntax tree of a List Filter, before names and literals are checked against the registry. */

/** A search attribute name as written in the query. */
export interface FieldRef {
  name: string;
  pos: number;
}

/** A literal value as written in the query. */
export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: 'bool'; value: boolean; pos: number };

/** Comparison operators (`<>` is read as `!=`). */
export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** A boolean expression of the WHERE part. */
export type Expr =
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'between'; field: FieldRef; negated: boolean; from: Literal; to: Literal }
  | { kind: 'startsWith'; field: FieldRef; negated: boolean; prefix: Literal }
  | { kind: 'isNull'; field: FieldRef; negated: boolean };

/** Sort direction of an ORDER BY item. */
export type SortDirection = 'asc' | 'desc';

/** A parsed query: optional filter, ORDER BY items and GROUP BY fields. */
export interface ParsedQuery {
  where: Expr | undefined;
  orderBy: { field: FieldRef; direction: SortDirection }[];
  groupBy: FieldRef[];
}
