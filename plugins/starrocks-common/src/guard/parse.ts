import { GuardRefusal, quote } from './errors';
import { Token, tokenize } from './tokenize';

/**
 * What a statement is, as far as the guard is concerned.
 *
 * @public
 */
export type StatementKind = 'select' | 'show' | 'describe' | 'explain';

/**
 * A name as written: its dot-separated parts (quotes removed) and where it starts.
 *
 * @internal
 */
export interface NameRef {
  parts: string[];
  offset: number;
}

/**
 * A table name as written, with its source span, for the guard and for rewriting the statement
 * (column masking replaces the span by a derived table).
 *
 * @internal
 */
export interface TableNameRef extends NameRef {
  /** Offset after the name's last character (`offset` is its first). */
  end: number;
  /** Whether an alias (`AS a` or `a`) follows the name. */
  aliased: boolean;
  /** A table SHOW COLUMNS or DESCRIBE describes: its metadata is read, not its rows. */
  metadata: boolean;
}

/**
 * What the parser found in one statement: enough for the guard to decide, not a full AST.
 *
 * @internal
 */
export interface ParsedStatement {
  kind: StatementKind;
  /** Every table reference (CTE references excluded), in source order. */
  tables: TableNameRef[];
  /** Every function call, the name parts as written. */
  functions: NameRef[];
  /**
   * Databases a `SHOW TABLES` lists (`parts` is `[]` without `FROM`, `[db]` or
   * `[catalog, db]`).
   */
  databases: NameRef[];
  /** Catalogs a `SHOW DATABASES FROM catalog` lists. */
  catalogs: NameRef[];
  /** Offsets of the statement without comments around it and without the trailing `;`. */
  start: number;
  end: number;
}

/** Nesting beyond this is refused, so hostile input cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 200;

// Words that cannot be bare identifiers or aliases: clause keywords and operators. Everything
// else may be a column or table name, as in MySQL.
const RESERVED = new Set(
  (
    'ALL AND ANTI AS ASC BETWEEN BY CASE CROSS DESC DISTINCT DIV ELSE END ESCAPE EXCEPT EXISTS ' +
    'FALSE FOR FORCE FROM FULL GROUP HAVING IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN ' +
    'LATERAL LEFT LIKE LIMIT LOCK MINUS MOD NATURAL NOT NULL ON OR ORDER OUTER OVER PARTITION ' +
    'PROCEDURE QUALIFY REGEXP RIGHT RLIKE SELECT SEMI SET STRAIGHT_JOIN TABLE THEN TRUE UNION ' +
    'USE USING VALUES WHEN WHERE WINDOW WITH XOR'
  ).split(' '),
);

// MySQL SELECT modifiers change caching, locking or priority: refused.
const SELECT_MODIFIERS = new Set(
  (
    'HIGH_PRIORITY STRAIGHT_JOIN SQL_SMALL_RESULT SQL_BIG_RESULT SQL_BUFFER_RESULT SQL_CACHE ' +
    'SQL_NO_CACHE SQL_CALC_FOUND_ROWS DISTINCTROW'
  ).split(' '),
);

// Functions the SQL standard lets you call without parentheses; they are calls all the same.
const NILADIC = new Set(
  (
    'CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP LOCALTIME LOCALTIMESTAMP CURRENT_USER ' +
    'CURRENT_ROLE CURRENT_CATALOG CURRENT_GROUP UTC_DATE UTC_TIME UTC_TIMESTAMP'
  ).split(' '),
);

const TIME_UNITS = new Set(
  (
    'MICROSECOND MILLISECOND SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR ' +
    'SECOND_MICROSECOND MINUTE_SECOND HOUR_MINUTE HOUR_SECOND DAY_HOUR DAY_MINUTE DAY_SECOND ' +
    'YEAR_MONTH DOW DOY EPOCH'
  ).split(' '),
);

const COMPARISONS = new Set(['=', '<=>', '!=', '<>', '<', '<=', '>', '>=']);

/** Statement keywords, to name them in the refusal. */
const WRITE_OR_ADMIN = new Set(
  (
    'INSERT UPDATE DELETE REPLACE MERGE UPSERT CREATE DROP ALTER TRUNCATE RENAME GRANT REVOKE SET ' +
    'USE KILL LOAD CALL HANDLER DO SUBMIT CACHE ADMIN EXECUTE PREPARE DEALLOCATE BEGIN START ' +
    'COMMIT ROLLBACK SAVEPOINT LOCK UNLOCK FLUSH RESET ANALYZE OPTIMIZE REFRESH RECOVER CANCEL ' +
    'INSTALL UNINSTALL EXPORT RESTORE BACKUP PAUSE RESUME STOP SYNC REFRESH CLEAN TRACE ' +
    'VALUES TABLE HELP SHUTDOWN RELEASE XA'
  ).split(' '),
);

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly scopes: Set<string>[] = [];
  private readonly result: ParsedStatement;

  constructor(private readonly tokens: Token[]) {
    this.result = {
      kind: 'select',
      tables: [],
      functions: [],
      databases: [],
      catalogs: [],
      start: 0,
      end: 0,
    };
  }

  // ---- token helpers

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.upper === word;
  }

  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }

  private acceptWord(...words: string[]): boolean {
    if (words.some(w => this.isWord(w))) {
      this.next();
      return true;
    }
    return false;
  }

  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.next();
      return true;
    }
    return false;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) this.unexpected(word);
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.unexpected(`'${op}'`);
  }

  private fail(reason: string, t: Token = this.peek()): never {
    throw new GuardRefusal(reason, t.offset);
  }

  /** Refuses at the current token, with a specific reason for the known dangerous forms. */
  private unexpected(expected?: string): never {
    const t = this.peek();
    if (t.kind === 'eof') {
      this.fail(
        `unexpected end of statement${
          expected ? `, expected ${expected}` : ''
        }`,
      );
    }
    if (t.kind === 'op' && t.text === ';') {
      this.fail(
        `exactly one statement is allowed; ';' may only end the statement`,
      );
    }
    if (t.kind === 'word') {
      if (t.upper === 'INTO') {
        this.fail(
          `SELECT ... INTO (OUTFILE, DUMPFILE or variables) is not allowed`,
        );
      }
      if (t.upper === 'FOR' || t.upper === 'LOCK') {
        this.fail(
          `locking reads (FOR UPDATE, LOCK IN SHARE MODE) are not allowed`,
        );
      }
      if (t.upper === 'PROCEDURE') {
        this.fail(`SELECT ... PROCEDURE is not allowed`);
      }
    }
    this.fail(
      `cannot parse at ${quote(t.text)}${
        expected ? `, expected ${expected}` : ''
      }`,
    );
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.fail(
        `statement is too deeply nested (more than ${MAX_NESTING_DEPTH} levels)`,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  private isQueryStart(k = 0): boolean {
    return this.isWord('SELECT', k) || this.isWord('WITH', k);
  }

  /** An identifier: a backquoted one, or a bare word that is not reserved. */
  private isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'qident' || (t.kind === 'word' && !RESERVED.has(t.upper));
  }

  private ident(what: string): string {
    if (!this.isIdent()) this.unexpected(what);
    return this.next().value;
  }

  private qualifiedName(what: string): NameRef & { end: number } {
    const offset = this.peek().offset;
    const parts = [this.ident(what)];
    while (this.isOp('.') && this.isIdent(1)) {
      this.next();
      parts.push(this.next().value);
    }
    return { parts, offset, end: this.tokens[this.pos - 1].end };
  }

  /** A table whose metadata (not rows) the statement reads. */
  private metadataTable(name: NameRef & { end: number }): TableNameRef {
    return { ...name, aliased: false, metadata: true };
  }

  // ---- statements

  parseStatement(): ParsedStatement {
    const first = this.peek();
    if (first.kind === 'eof' || (first.kind === 'op' && first.text === ';')) {
      this.fail('empty statement');
    }
    this.result.start = first.offset;
    if (this.isQueryStart() || this.isOp('(')) {
      this.result.kind = 'select';
      this.parseQuery();
    } else if (this.isWord('SHOW')) {
      this.result.kind = 'show';
      this.parseShow();
    } else if (this.isWord('DESC') || this.isWord('DESCRIBE')) {
      this.result.kind = 'describe';
      this.next();
      if (this.isQueryStart() || this.isWord('ANALYZE')) {
        this.fail(`DESCRIBE of a query is not allowed; use EXPLAIN`);
      }
      this.result.tables.push(
        this.metadataTable(this.qualifiedName('a table name')),
      );
    } else if (this.isWord('EXPLAIN')) {
      this.result.kind = 'explain';
      this.next();
      if (this.isWord('ANALYZE')) {
        this.fail(`EXPLAIN ANALYZE is not allowed: it runs the statement`);
      }
      this.acceptWord('LOGICAL', 'VERBOSE', 'COSTS');
      if (!this.isQueryStart() && !this.isOp('(')) {
        this.fail(`EXPLAIN is allowed only for SELECT queries`);
      }
      this.parseQuery();
    } else if (first.kind === 'word' && WRITE_OR_ADMIN.has(first.upper)) {
      this.fail(
        `${first.upper} statements are not allowed; only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN`,
      );
    } else {
      this.fail(
        `statement must start with SELECT, WITH, SHOW, DESCRIBE or EXPLAIN, not ${quote(
          first.text,
        )}`,
      );
    }
    this.result.end = this.tokens[this.pos - 1]?.end ?? first.end;
    if (this.acceptOp(';')) {
      if (this.peek().kind !== 'eof') {
        this.fail(`exactly one statement is allowed; found more after ';'`);
      }
    }
    if (this.peek().kind !== 'eof') this.unexpected();
    return this.result;
  }

  private parseShow(): void {
    this.expectWord('SHOW');
    const full = this.acceptWord('FULL');
    const what = this.peek();
    if (!full && this.acceptWord('DATABASES', 'SCHEMAS')) {
      if (this.acceptWord('FROM', 'IN')) {
        const offset = this.peek().offset;
        this.result.catalogs.push({
          parts: [this.ident('a catalog name')],
          offset,
        });
      }
      this.parseShowLike();
      return;
    }
    if (this.acceptWord('TABLES')) {
      if (this.acceptWord('FROM', 'IN')) {
        const db = this.qualifiedName('a database name');
        this.result.databases.push(db);
      } else {
        this.result.databases.push({ parts: [], offset: what.offset });
      }
      this.parseShowLike();
      return;
    }
    if (this.acceptWord('COLUMNS', 'FIELDS')) {
      if (!this.acceptWord('FROM', 'IN')) this.unexpected('FROM');
      const table = this.metadataTable(this.qualifiedName('a table name'));
      if (this.acceptWord('FROM', 'IN')) {
        table.parts.unshift(this.ident('a database name'));
      }
      this.result.tables.push(table);
      this.parseShowLike();
      return;
    }
    if (this.isWord('CREATE')) {
      this.fail(
        `SHOW CREATE is not allowed (it reveals storage properties and view definitions); use DESCRIBE`,
      );
    }
    this.fail(
      `SHOW ${quote(
        what.text,
      )} is not allowed; only SHOW DATABASES, SHOW TABLES and SHOW COLUMNS`,
      what,
    );
  }

  private parseShowLike(): void {
    if (this.acceptWord('LIKE')) {
      if (this.peek().kind !== 'string') this.unexpected('a string');
      this.next();
    }
  }

  // ---- queries

  private parseQuery(): void {
    this.enter();
    let scoped = false;
    if (this.acceptWord('WITH')) {
      if (this.isWord('RECURSIVE'))
        this.fail(`WITH RECURSIVE is not supported`);
      const scope = new Set<string>();
      this.scopes.push(scope);
      scoped = true;
      do {
        const name = this.ident('a CTE name');
        if (this.acceptOp('(')) {
          do this.ident('a column name');
          while (this.acceptOp(','));
          this.expectOp(')');
        }
        this.expectWord('AS');
        this.expectOp('(');
        this.parseQuery();
        this.expectOp(')');
        // A CTE is visible after its own definition (no recursion).
        scope.add(name);
      } while (this.acceptOp(','));
    }
    this.parseQueryTerm();
    while (
      this.isWord('UNION') ||
      this.isWord('EXCEPT') ||
      this.isWord('INTERSECT') ||
      this.isWord('MINUS')
    ) {
      this.next();
      this.acceptWord('ALL', 'DISTINCT');
      this.parseQueryTerm();
    }
    this.parseOrderByAndLimit();
    if (scoped) this.scopes.pop();
    this.leave();
  }

  private parseQueryTerm(): void {
    if (this.acceptOp('(')) {
      this.parseQuery();
      this.expectOp(')');
    } else if (this.isWord('SELECT')) {
      this.parseSelect();
    } else {
      this.unexpected('SELECT');
    }
  }

  private parseOrderByAndLimit(): void {
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      this.parseOrderItems();
    }
    if (this.acceptWord('LIMIT')) {
      this.number();
      if (this.acceptOp(',') || this.acceptWord('OFFSET')) this.number();
    }
  }

  private number(): void {
    if (this.peek().kind !== 'number') this.unexpected('a number');
    this.next();
  }

  private parseOrderItems(): void {
    do {
      this.parseExpr();
      this.acceptWord('ASC', 'DESC');
      if (this.acceptWord('NULLS')) {
        if (!this.acceptWord('FIRST', 'LAST')) this.unexpected('FIRST or LAST');
      }
    } while (this.acceptOp(','));
  }

  private parseSelect(): void {
    this.expectWord('SELECT');
    const modifier = this.peek();
    if (modifier.kind === 'word' && SELECT_MODIFIERS.has(modifier.upper)) {
      this.fail(`SELECT modifier ${quote(modifier.text)} is not allowed`);
    }
    this.acceptWord('ALL', 'DISTINCT');
    do this.parseSelectItem();
    while (this.acceptOp(','));
    if (this.acceptWord('FROM')) {
      do this.parseJoinedRelation();
      while (this.acceptOp(','));
    }
    if (this.acceptWord('WHERE')) this.parseExpr();
    if (this.acceptWord('GROUP')) {
      this.expectWord('BY');
      this.parseGroupBy();
    }
    if (this.acceptWord('HAVING')) this.parseExpr();
    if (this.acceptWord('QUALIFY')) this.parseExpr();
  }

  private parseSelectItem(): void {
    if (this.acceptOp('*')) return;
    this.parseExpr();
    if (this.acceptWord('AS')) {
      if (this.peek().kind === 'string') this.next();
      else this.ident('an alias');
    } else if (this.isIdent()) {
      this.next();
    }
  }

  private parseGroupBy(): void {
    do {
      if (this.isWord('GROUPING') && this.isWord('SETS', 1)) {
        this.next();
        this.next();
        this.expectOp('(');
        do {
          if (this.isOp('(') && this.isOp(')', 1)) {
            this.next();
            this.next();
          } else {
            this.parseExpr();
          }
        } while (this.acceptOp(','));
        this.expectOp(')');
      } else if (
        (this.isWord('ROLLUP') || this.isWord('CUBE')) &&
        this.isOp('(', 1)
      ) {
        this.next();
        this.next();
        this.parseExprList();
        this.expectOp(')');
      } else {
        this.parseExpr();
      }
    } while (this.acceptOp(','));
  }

  private parseJoinedRelation(): void {
    this.parseRelation();
    while (this.parseJoinKeyword()) {
      this.parseRelation();
      if (this.acceptWord('ON')) {
        this.parseExpr();
      } else if (this.acceptWord('USING')) {
        this.expectOp('(');
        do this.ident('a column name');
        while (this.acceptOp(','));
        this.expectOp(')');
      }
    }
  }

  private parseJoinKeyword(): boolean {
    const start = this.pos;
    if (this.acceptWord('INNER', 'CROSS')) {
      // fall through to JOIN
    } else if (this.acceptWord('LEFT', 'RIGHT')) {
      this.acceptWord('OUTER', 'SEMI', 'ANTI');
    } else if (this.acceptWord('FULL')) {
      this.acceptWord('OUTER');
    }
    if (this.acceptWord('JOIN')) {
      if (this.isOp('[')) this.fail(`join hints are not allowed`);
      return true;
    }
    if (this.pos !== start) this.unexpected('JOIN');
    return false;
  }

  private parseRelation(): void {
    this.enter();
    if (this.acceptOp('(')) {
      if (!this.isQueryStart() && !this.isOp('('))
        this.unexpected('a subquery');
      this.parseQuery();
      this.expectOp(')');
      this.parseAlias(true);
    } else {
      const name = this.qualifiedName('a table name');
      if (this.isOp('(')) {
        // table function, e.g. unnest(arr) or generate_series(1, 10)
        this.next();
        if (!this.isOp(')')) this.parseExprList();
        this.expectOp(')');
        this.result.functions.push(name);
        this.parseAlias(true);
      } else {
        const table: TableNameRef = {
          ...name,
          aliased: false,
          metadata: false,
        };
        if (!(name.parts.length === 1 && this.isCte(name.parts[0]))) {
          this.result.tables.push(table);
        }
        if (this.isOp('[')) this.fail(`table hints are not allowed`);
        table.aliased = this.parseAlias(false);
      }
    }
    this.leave();
  }

  private isCte(name: string): boolean {
    return this.scopes.some(s => s.has(name));
  }

  /** Reads an optional alias; true when there was one. */
  private parseAlias(columns: boolean): boolean {
    if (this.acceptWord('AS')) this.ident('an alias');
    else if (this.isIdent()) this.next();
    else return false;
    if (columns && this.acceptOp('(')) {
      do this.ident('a column name');
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    return true;
  }

  // ---- expressions (MySQL precedence, lowest first)

  private parseExprList(): void {
    do this.parseExpr();
    while (this.acceptOp(','));
  }

  private parseExpr(): void {
    this.enter();
    this.parseXor();
    while (this.isWord('OR') || this.isOp('||')) {
      this.next();
      this.parseXor();
    }
    this.leave();
  }

  private parseXor(): void {
    this.parseAnd();
    while (this.acceptWord('XOR')) this.parseAnd();
  }

  private parseAnd(): void {
    this.parseNot();
    while (this.isWord('AND') || this.isOp('&&')) {
      this.next();
      this.parseNot();
    }
  }

  private parseNot(): void {
    if (this.acceptWord('NOT')) {
      this.enter();
      this.parseNot();
      this.leave();
    } else {
      this.parsePredicate();
    }
  }

  private parsePredicate(): void {
    this.parseBitOr();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && COMPARISONS.has(t.text)) {
        this.next();
        if (
          (this.isWord('ANY') || this.isWord('ALL') || this.isWord('SOME')) &&
          this.isOp('(', 1)
        ) {
          this.next();
          this.next();
          this.parseQuery();
          this.expectOp(')');
        } else {
          this.parseBitOr();
        }
        continue;
      }
      if (this.acceptWord('IS')) {
        this.acceptWord('NOT');
        if (!this.acceptWord('NULL', 'TRUE', 'FALSE', 'UNKNOWN'))
          this.unexpected('NULL');
        continue;
      }
      const negated = this.isWord('NOT');
      const k = negated ? 1 : 0;
      if (this.isWord('IN', k)) {
        if (negated) this.next();
        this.next();
        this.expectOp('(');
        if (this.isQueryStart()) this.parseQuery();
        else this.parseExprList();
        this.expectOp(')');
        continue;
      }
      if (this.isWord('BETWEEN', k)) {
        if (negated) this.next();
        this.next();
        this.parseBitOr();
        this.expectWord('AND');
        this.parseBitOr();
        continue;
      }
      if (
        this.isWord('LIKE', k) ||
        this.isWord('RLIKE', k) ||
        this.isWord('REGEXP', k)
      ) {
        if (negated) this.next();
        this.next();
        this.parseBitOr();
        if (this.acceptWord('ESCAPE')) this.parseBitOr();
        continue;
      }
      return;
    }
  }

  private parseBinary(
    ops: string[],
    words: string[],
    operand: () => void,
  ): void {
    operand();
    for (;;) {
      const t = this.peek();
      if (
        (t.kind === 'op' && ops.includes(t.text)) ||
        (t.kind === 'word' && words.includes(t.upper))
      ) {
        this.next();
        operand();
      } else {
        return;
      }
    }
  }

  private parseBitOr(): void {
    this.parseBinary(['|'], [], () =>
      this.parseBinary(['&'], [], () =>
        this.parseBinary(['<<', '>>'], [], () => this.parseAdditive()),
      ),
    );
  }

  private parseAdditive(): void {
    this.parseBinary(['+', '-'], [], () =>
      this.parseBinary(['*', '/', '%'], ['DIV', 'MOD'], () =>
        this.parseBinary(['^'], [], () => this.parseUnary()),
      ),
    );
  }

  private parseUnary(): void {
    const t = this.peek();
    if (t.kind === 'op' && ['-', '+', '~', '!'].includes(t.text)) {
      this.next();
      this.enter();
      this.parseUnary();
      this.leave();
      return;
    }
    this.parsePrimary();
    for (;;) {
      if (this.acceptOp('[')) {
        this.parseExpr();
        this.expectOp(']');
      } else if (this.acceptOp('->')) {
        // StarRocks JSON arrow: json_col -> 'path'
        this.parsePrimary();
      } else {
        return;
      }
    }
  }

  /** `( a, b ) ->` or `a ->`: the parameters of a lambda. */
  private lambdaParamsAhead(): number {
    if (this.isIdent() && this.isOp('->', 1)) return 2;
    if (!this.isOp('(')) return 0;
    let k = 1;
    for (;;) {
      if (!this.isIdent(k)) return 0;
      k++;
      if (this.isOp(',', k)) {
        k++;
        continue;
      }
      if (this.isOp(')', k) && this.isOp('->', k + 1)) return k + 2;
      return 0;
    }
  }

  private parsePrimary(): void {
    const t = this.peek();
    const lambda = this.lambdaParamsAhead();
    if (lambda > 0) {
      this.pos += lambda;
      this.parseExpr();
      return;
    }
    if (t.kind === 'number' || t.kind === 'string') {
      this.next();
      return;
    }
    if (t.kind === 'op') {
      if (t.text === '(') {
        this.next();
        if (this.isQueryStart()) this.parseQuery();
        else this.parseExprList();
        this.expectOp(')');
        return;
      }
      if (t.text === '[') {
        this.next();
        if (!this.isOp(']')) this.parseExprList();
        this.expectOp(']');
        return;
      }
      this.unexpected('an expression');
    }
    if (t.kind === 'word') {
      switch (t.upper) {
        case 'NULL':
        case 'TRUE':
        case 'FALSE':
          this.next();
          return;
        case 'CASE':
          this.parseCase();
          return;
        case 'CAST':
          if (this.isOp('(', 1)) {
            this.next();
            this.next();
            this.parseExpr();
            this.expectWord('AS');
            this.parseType();
            this.expectOp(')');
            return;
          }
          break;
        case 'EXISTS':
          this.next();
          this.expectOp('(');
          this.parseQuery();
          this.expectOp(')');
          return;
        case 'INTERVAL':
          this.next();
          this.parseAdditive();
          this.timeUnit();
          return;
        case 'EXTRACT':
          if (this.isOp('(', 1)) {
            this.next();
            this.next();
            this.timeUnit();
            this.expectWord('FROM');
            this.parseExpr();
            this.expectOp(')');
            this.result.functions.push({ parts: [t.value], offset: t.offset });
            return;
          }
          break;
        case 'DATE':
        case 'DATETIME':
        case 'TIMESTAMP':
          if (this.peek(1).kind === 'string') {
            this.next();
            this.next();
            return;
          }
          break;
        default:
          if (NILADIC.has(t.upper) && !this.isOp('(', 1)) {
            this.next();
            this.result.functions.push({ parts: [t.value], offset: t.offset });
            return;
          }
      }
      if (RESERVED.has(t.upper)) {
        // LEFT(...), RIGHT(...), IF(...), MOD(...): reserved words that are also functions
        if (this.isOp('(', 1)) {
          this.next();
          this.parseCall({ parts: [t.value], offset: t.offset });
          return;
        }
        this.unexpected('an expression');
      }
    }
    if (t.kind === 'word' || t.kind === 'qident') {
      const offset = t.offset;
      const parts = [this.next().value];
      while (this.isOp('.')) {
        if (this.isOp('*', 1)) {
          // t.* in a select list
          this.next();
          this.next();
          return;
        }
        this.next();
        parts.push(this.ident('a name'));
      }
      if (this.isOp('(')) this.parseCall({ parts, offset });
      return;
    }
    this.unexpected('an expression');
  }

  private timeUnit(): void {
    const t = this.peek();
    if (t.kind !== 'word' || !TIME_UNITS.has(t.upper))
      this.unexpected('a time unit');
    this.next();
  }

  private parseCall(name: NameRef): void {
    this.expectOp('(');
    this.result.functions.push(name);
    if (!this.acceptOp(')')) {
      this.acceptWord('DISTINCT', 'ALL');
      if (!this.acceptOp('*')) this.parseExprList();
      if (this.acceptWord('ORDER')) {
        this.expectWord('BY');
        this.parseOrderItems();
      }
      if (this.acceptWord('SEPARATOR')) this.parseExpr();
      this.expectOp(')');
    }
    if (this.acceptWord('IGNORE')) this.expectWord('NULLS');
    if (this.acceptWord('OVER')) {
      this.expectOp('(');
      if (this.acceptWord('PARTITION')) {
        this.expectWord('BY');
        this.parseExprList();
      }
      if (this.acceptWord('ORDER')) {
        this.expectWord('BY');
        this.parseOrderItems();
      }
      if (this.acceptWord('ROWS', 'RANGE')) {
        if (this.acceptWord('BETWEEN')) {
          this.parseFrameBound();
          this.expectWord('AND');
        }
        this.parseFrameBound();
      }
      this.expectOp(')');
    }
  }

  private parseFrameBound(): void {
    if (this.acceptWord('UNBOUNDED')) {
      if (!this.acceptWord('PRECEDING', 'FOLLOWING'))
        this.unexpected('PRECEDING or FOLLOWING');
    } else if (this.acceptWord('CURRENT')) {
      this.expectWord('ROW');
    } else {
      this.parseAdditive();
      if (!this.acceptWord('PRECEDING', 'FOLLOWING'))
        this.unexpected('PRECEDING or FOLLOWING');
    }
  }

  private parseCase(): void {
    this.expectWord('CASE');
    if (!this.isWord('WHEN')) this.parseExpr();
    if (!this.isWord('WHEN')) this.unexpected('WHEN');
    while (this.acceptWord('WHEN')) {
      this.parseExpr();
      this.expectWord('THEN');
      this.parseExpr();
    }
    if (this.acceptWord('ELSE')) this.parseExpr();
    this.expectWord('END');
  }

  /** A type in CAST: words, optional `(n, m)`, optional `<...>` for ARRAY, MAP and STRUCT. */
  private parseType(): void {
    if (this.peek().kind !== 'word') this.unexpected('a type');
    while (this.peek().kind === 'word') this.next();
    if (this.acceptOp('(')) {
      do this.number();
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (this.isOp('<')) {
      let open = 0;
      do {
        const t = this.next();
        if (t.text === '<') open++;
        else if (t.text === '>') open--;
        else if (t.text === '>>') open -= 2;
        else if (
          !(
            t.kind === 'word' ||
            t.kind === 'number' ||
            t.kind === 'qident' ||
            [',', '(', ')'].includes(t.text)
          )
        ) {
          this.pos--;
          this.unexpected('a type');
        }
      } while (open > 0);
      if (open < 0) this.unexpected('a type');
    }
  }
}

/**
 * Parses one statement of the allowed read-only subset of the StarRocks dialect. Throws
 * {@link GuardRefusal} for anything it cannot parse or does not allow.
 *
 * @internal
 */
export function parseStatement(sql: string): ParsedStatement {
  return new Parser(tokenize(sql)).parseStatement();
}
