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

    /** PREDICT and EMBED for Calcite's validator, typed by the catalog's models. */
    static List<SqlFunction> functions(dev.kiln.frontend.Catalog catalog) {
        return List.of(modelFunction(PREDICT, catalog), modelFunction(EMBED, catalog));
    }

    /**
     * The call's SQL type is the model's last stage's first output per row: a number for one
     * element (a score: comparable in WHERE, aggregatable), VARCHAR for a decoder's text, else a
     * tensor, which Calcite sees as OTHER. An unknown model is typed OTHER here and reported by
     * the translation, with the list of models.
     */
    private static SqlFunction modelFunction(String name, dev.kiln.frontend.Catalog catalog) {
        org.apache.calcite.sql.type.SqlReturnTypeInference byModel = binding -> {
            var types = binding.getTypeFactory();
            String model = binding.getOperandCount() > 0 && binding.isOperandLiteral(0, false) ? binding.getOperandLiteralValue(0, String.class) : null;
            List<dev.kiln.ir.rel.ModelRef> stages = model == null ? List.of() : catalog.modelStages(model);
            org.apache.calcite.rel.type.RelDataType t = types.createSqlType(SqlTypeName.OTHER);
            if (!stages.isEmpty()) {
                var out = stages.getLast().graph().outputs().getFirst();
                t = TypeMapping.toCalcite(dev.kiln.ir.rel.Infer.columnType(dev.kiln.ir.rel.Infer.rowType(out.type())), true, types);
            }
            return types.createTypeWithNullability(t, true);
        };
        return new SqlFunction(name, SqlKind.OTHER_FUNCTION, byModel, null, OperandTypes.VARIADIC, SqlFunctionCategory.USER_DEFINED_FUNCTION);
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
