package dev.kiln.frontend;

import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Rejects, on the parsed tree and so with the position of the offending clause, SQL that Calcite
 * accepts but Kiln cannot execute yet: window functions, grouping sets, WITHIN GROUP, UNNEST,
 * LATERAL, TABLESAMPLE and MATCH_RECOGNIZE. Checking here rather than on the translated plan means the user sees where
 * the construct is, and no plan is ever built that might quietly mean something else.
 */
final class UnsupportedFeatures extends SqlBasicVisitor<Void> {
    private final String sql;

    private UnsupportedFeatures(String sql) {
        this.sql = sql;
    }

    static void check(SqlNode parsed, String sql) {
        parsed.accept(new UnsupportedFeatures(sql));
    }

    @Override
    public Void visit(SqlCall call) {
        describe(call).ifPresent(what -> {
            throw new SqlException(what + " is not supported yet", call.getParserPosition().getLineNum(),
                    call.getParserPosition().getColumnNum(), sql);
        });
        return super.visit(call);
    }

    private static Optional<String> describe(SqlCall call) {
        return Optional.ofNullable(switch (call.getKind()) {
            case OVER, WINDOW -> "the window function (OVER)";
            case GROUPING_SETS, ROLLUP, CUBE -> "GROUPING SETS / ROLLUP / CUBE";
            case GROUPING, GROUP_ID, GROUPING_ID -> "GROUPING()";
            case WITHIN_GROUP -> "WITHIN GROUP";
            case UNNEST -> "UNNEST";
            case LATERAL -> "LATERAL";
            case TABLESAMPLE -> "TABLESAMPLE";
            case MATCH_RECOGNIZE -> "MATCH_RECOGNIZE";
            default -> null;
        });
    }
}
