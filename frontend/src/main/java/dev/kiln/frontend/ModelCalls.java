package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * {@code PREDICT(model, arg, ...)} in SQL: the model's (first) output for the row's arguments, a
 * tensor. The model is named like a table, so before validation the name becomes a string literal
 * (Calcite would look it up as a column); the translator turns each call into an
 * {@link dev.kiln.ir.rel.Infer} below the projection that holds it. {@code EMBED(model, text)} is
 * the same call, named for what a text model's output is (CREATE MODEL ... WITH (tokenizer = ...)
 * puts the tokenizer and the pooling into the model).
 */
final class ModelCalls extends SqlBasicVisitor<Void> {
    static final String PREDICT = "PREDICT";
    static final String EMBED = "EMBED";

    /** The PREDICT function for Calcite's validator: a model name and any arguments, a tensor (OTHER) back. */
    static final SqlFunction FUNCTION = modelFunction(PREDICT);
    static final SqlFunction EMBED_FUNCTION = modelFunction(EMBED);

    /**
     * The model's output type depends on the model (a tensor, or VARCHAR for a decoder's text), which
     * Calcite cannot know: the call is typed OTHER here and by the model in the translation.
     */
    private static SqlFunction modelFunction(String name) {
        return new SqlFunction(name, SqlKind.OTHER_FUNCTION,
                ReturnTypes.explicit(SqlTypeName.OTHER).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE),
                null, OperandTypes.VARIADIC, SqlFunctionCategory.USER_DEFINED_FUNCTION);
    }

    static void rewrite(SqlNode parsed) {
        parsed.accept(new ModelCalls());
    }

    static boolean isPredict(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.equals(PREDICT) || n.equals(EMBED);
    }

    @Override
    public Void visit(SqlCall call) {
        if (isPredict(call.getOperator().getName())) {
            List<SqlNode> ops = call.getOperandList();
            String fn = call.getOperator().getName().toUpperCase(Locale.ROOT);
            if (ops.size() < 2) throw new KilnException(fn + " needs a model and its inputs: " + fn + "(model, column, ...)");
            if (ops.getFirst() instanceof SqlIdentifier id && id.isSimple()) {
                call.setOperand(0, SqlLiteral.createCharString(id.getSimple().toLowerCase(Locale.ROOT), id.getParserPosition()));
            }
        }
        return super.visit(call);
    }

    @Override
    public Void visit(SqlNodeList list) {
        return super.visit(list);
    }
}
