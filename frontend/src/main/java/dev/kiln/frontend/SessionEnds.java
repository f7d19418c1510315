package dev.kiln.frontend;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Rewrites {@code SESSION_END(ts, gap)} into {@code MAX(ts) + gap} in the parsed tree (in place).
 * Calcite gives SESSION_END the group's value, the session's start, which is not where a session
 * ends: it ends a gap after its last row, and in a query grouped by the session that is exactly
 * MAX(ts) + gap. (SESSION_START stays: the group value is the start.)
 */
final class SessionEnds extends SqlBasicVisitor<Void> {
    static void rewrite(SqlNode parsed) {
        parsed.accept(new SessionEnds());
    }

    @Override
    public Void visit(SqlCall call) {
        List<SqlNode> ops = call.getOperandList();
        for (int i = 0; i < ops.size(); i++) {
            SqlNode replaced = replacement(ops.get(i));
            if (replaced != null) call.setOperand(i, replaced);
        }
        return super.visit(call);
    }

    @Override
    public Void visit(SqlNodeList list) {
        for (int i = 0; i < list.size(); i++) {
            SqlNode replaced = replacement(list.get(i));
            if (replaced != null) list.set(i, replaced);
        }
        return super.visit(list);
    }

    private static SqlNode replacement(SqlNode n) {
        if (!(n instanceof SqlCall c) || !c.getOperator().getName().equalsIgnoreCase("SESSION_END") || c.operandCount() != 2) return null;
        SqlNode time = c.getOperandList().get(0);
        SqlNode gap = c.getOperandList().get(1);
        SqlNode last = SqlStdOperatorTable.MAX.createCall(c.getParserPosition(), time);
        return SqlStdOperatorTable.PLUS.createCall(c.getParserPosition(), last, gap);
    }
}
