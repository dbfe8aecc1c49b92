import { Migration } from '@mikro-orm/migrations';

/**
 * Reports grouped by COUNTRY failed with "non-integer constant in GROUP BY": app.report grouped by
 * the bare literal 'PL', which PostgreSQL takes for an attempt at a column position. A typed constant
 * ('PL'::text) is accepted but not nulled in the grand-total grouping set, so the total would come
 * back keyed 'PL' as well; an expression on the row (the empty start of the gmina's name, then 'PL')
 * groups like any other column. Found by fuzzing (issue 8): every COUNTRY report was an internal error.
 * The function is otherwise unchanged, so it is redefined from its own text, and the migration fails
 * loudly if that text no longer has the expression.
 */
export class Migration20261127001100ReportCountry extends Migration {
  override up(): void {
    this.addSql(`do $do$
      declare
        definition text := pg_get_functiondef('app.report(text, text[], date, date, int[])'::regprocedure);
        bare constant text := $$when 'COUNTRY' then quote_literal('PL') when$$;
      begin
        if position(bare in definition) = 0 then
          raise exception 'app.report no longer groups COUNTRY by a bare literal';
        end if;
        execute replace(definition, bare, $$when 'COUNTRY' then 'left(g.name, 0) || ' || quote_literal('PL') when$$);
      end $do$`);
  }
}
