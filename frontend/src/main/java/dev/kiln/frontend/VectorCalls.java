package dev.kiln.frontend;

import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * {@code DOT(a, b)} and {@code COSINE_SIMILARITY(a, b)} over vectors (embeddings, which SQL sees as
 * OTHER values) for Calcite's validator: any two operands, a DOUBLE; the translator checks that
 * both are floating-point vectors of one length ({@link dev.kiln.ir.expr.TypeRules#vectorFunction}).
 */
final class VectorCalls {
    private VectorCalls() {}

    static final SqlFunction DOT = function("DOT");
    static final SqlFunction COSINE_SIMILARITY = function("COSINE_SIMILARITY");

    private static SqlFunction function(String name) {
        return new SqlFunction(name, SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.DOUBLE).andThen(SqlTypeTransforms.TO_NULLABLE),
                null, OperandTypes.ANY_ANY, SqlFunctionCategory.USER_DEFINED_FUNCTION);
    }
}
